import { AppError } from '../errors.js';

/** Errors of logins, roles and users, rendered by the shared error handler. */
export const authErrors = {
  authenticationRequired: () =>
    new AppError('authentication_required', 401, 'Sign in first: POST /api/v1/auth/login, or send an API token as "Authorization: Bearer <token>".'),

  invalidCredentials: () => new AppError('invalid_credentials', 401, 'The user name or password is wrong.'),

  basicNotAllowed: () =>
    new AppError('basic_auth_not_allowed', 401, 'HTTP Basic authentication is accepted only over HTTPS or from loopback; use HTTPS or an API token.'),

  csrfFailed: () =>
    new AppError('csrf_token_invalid', 403, 'The x-csrf-token header is missing or does not match the htek_csrf cookie; send the csrfToken returned by the login with each change.'),

  permissionDenied: (permission: string) =>
    new AppError('permission_denied', 403, `Your role lacks the permission ${permission}; ask an administrator to grant it.`, { permission }),

  routeNotMapped: (route: string) =>
    new AppError('permission_denied', 403, `No permission is defined for ${route}, so it is closed to every role.`, { route }),

  tooManyLoginFailures: (retryAfterSeconds: number) =>
    new AppError('rate_limited', 429, `Too many failed logins; try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds }),

  weakPassword: (minLength: number) =>
    new AppError('validation_failed', 400, `Invalid request. password: must have at least ${minLength} characters.`, { fields: [{ field: 'password', message: `must have at least ${minLength} characters` }] }),

  unknownPermissions: (names: string[]) =>
    new AppError('validation_failed', 400, `Invalid request. permissions: unknown permission ${names.join(', ')}; GET /api/v1/permissions lists them.`, { fields: [{ field: 'permissions', value: names, message: 'unknown permission' }] }),

  builtInRole: (name: string) => new AppError('role_built_in', 409, `The built-in role ${name} cannot be changed or deleted; create a custom role instead.`),

  roleInUse: (name: string, users: number) => new AppError('role_in_use', 409, `The role ${name} is held by ${users} user(s); give them another role first.`, { users }),

  lastAdministrator: () => new AppError('last_administrator', 409, 'This is the last active Administrator; create or enable another one first.'),

  nameTaken: (kind: 'user' | 'role', name: string) => new AppError(`${kind}_exists`, 409, `A ${kind} named ${JSON.stringify(name)} already exists; choose another name.`),
};
