import type { Logger } from 'pino';

import { authErrors } from '../auth/auth-errors.js';
import { minPasswordLength, hashPassword } from '../auth/passwords.js';
import { permissions } from '../auth/permissions.js';
import type { Db } from '../db/database.js';
import { errors } from '../errors.js';
import * as roles from './roles-repo.js';
import * as users from './users-repo.js';

export interface NewUser {
  username: string;
  password: string;
  /** Role id or name; Read-only when left out. */
  role?: number | string;
}

export type UsersService = ReturnType<typeof createUsersService>;

/** Users and roles of the admin API and the CLI. */
export function createUsersService({ db, logger }: { db: Db; logger: Logger }) {
  async function resolveRole(role: number | string | undefined) {
    const found = typeof role === 'number' ? await roles.findRole(db, role) : await roles.findRoleByName(db, role ?? 'Read-only');
    if (!found) throw errors.notFound('role', role ?? 'Read-only');
    return found;
  }

  async function create(input: NewUser): Promise<users.AdminUser> {
    if (input.password.length < minPasswordLength) throw authErrors.weakPassword(minPasswordLength);
    const role = await resolveRole(input.role);
    if (await users.findUserForLogin(db, input.username)) throw authErrors.nameTaken('user', input.username);

    const id = await users.insertUser(db, { username: input.username, passwordHash: await hashPassword(input.password), roleId: role.id });
    logger.info({ userId: id, username: input.username, role: role.name }, 'admin user created');
    return (await users.findUserById(db, id))!;
  }

  async function get(id: number): Promise<users.AdminUser> {
    const user = await users.findUserById(db, id);
    if (!user) throw errors.notFound('user', id);
    return user;
  }

  async function update(id: number, changes: { password?: string; role?: number | string; active?: boolean }): Promise<users.AdminUser> {
    const user = await get(id);
    if (changes.password !== undefined && changes.password.length < minPasswordLength) throw authErrors.weakPassword(minPasswordLength);
    const role = changes.role === undefined ? undefined : await resolveRole(changes.role);

    const losesAdministrator = user.role === 'Administrator' && user.active && ((role && role.name !== 'Administrator') || changes.active === false);
    if (losesAdministrator && (await users.countActiveAdministrators(db)) <= 1) throw authErrors.lastAdministrator();

    await users.updateUser(db, id, {
      passwordHash: changes.password === undefined ? undefined : await hashPassword(changes.password),
      roleId: role?.id,
      active: changes.active,
    });
    logger.info({ userId: id, role: role?.name, active: changes.active, passwordChanged: changes.password !== undefined }, 'admin user changed');
    return get(id);
  }

  async function remove(id: number): Promise<void> {
    const user = await get(id);
    if (user.role === 'Administrator' && user.active && (await users.countActiveAdministrators(db)) <= 1) throw authErrors.lastAdministrator();
    await users.deleteUser(db, id);
    logger.info({ userId: id, username: user.username }, 'admin user deleted');
  }

  function checkPermissions(names: string[]): void {
    const unknown = names.filter((name) => !(permissions as readonly string[]).includes(name));
    if (unknown.length > 0) throw authErrors.unknownPermissions(unknown);
  }

  async function createRole(input: { name: string; description?: string | null; permissions: string[] }): Promise<roles.RoleRecord> {
    checkPermissions(input.permissions);
    if (await roles.findRoleByName(db, input.name)) throw authErrors.nameTaken('role', input.name);
    const id = await roles.insertRole(db, { name: input.name, description: input.description ?? null, permissions: input.permissions });
    logger.info({ roleId: id, role: input.name }, 'role created');
    return (await roles.findRole(db, id))!;
  }

  async function getRole(id: number): Promise<roles.RoleRecord> {
    const role = await roles.findRole(db, id);
    if (!role) throw errors.notFound('role', id);
    return role;
  }

  async function updateRole(id: number, changes: { name?: string; description?: string | null; permissions?: string[] }): Promise<roles.RoleRecord> {
    const role = await getRole(id);
    if (role.builtIn) throw authErrors.builtInRole(role.name);
    if (changes.permissions) checkPermissions(changes.permissions);
    if (changes.name !== undefined && changes.name !== role.name && (await roles.findRoleByName(db, changes.name))) throw authErrors.nameTaken('role', changes.name);

    await roles.updateRole(db, id, changes);
    logger.info({ roleId: id }, 'role changed');
    return getRole(id);
  }

  async function removeRole(id: number): Promise<void> {
    const role = await getRole(id);
    if (role.builtIn) throw authErrors.builtInRole(role.name);
    const holders = await roles.countRoleUsers(db, id);
    if (holders > 0) throw authErrors.roleInUse(role.name, holders);
    await roles.deleteRole(db, id);
    logger.info({ roleId: id, role: role.name }, 'role deleted');
  }

  return {
    create,
    get,
    update,
    remove,
    list: () => users.listUsers(db),
    listRoles: () => roles.listRoles(db),
    createRole,
    getRole,
    updateRole,
    removeRole,
  };
}
