import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { changesAnyColumn, foreignKeyViolation, trimOrNull, uniqueViolation } from '../db/query-helpers.js';
import type { ProfileRow, ProfileUpdate } from '../db/schema.js';
import { errors, type FieldProblem } from '../errors.js';
import { checkExtraParameters } from './extra-parameters.js';
import * as repo from './profiles-repo.js';
import { hostAndPortRule, sipServerRule } from './sip-hosts.js';
import type { CreateProfileInput, Profile, ProfileListInput, UpdateProfileInput } from './profiles-schemas.js';

export interface ProfilesServiceDeps {
  db: Db;
  logger: Logger;
}

export type ProfilesService = ReturnType<typeof createProfilesService>;

/** Profiles: the registrar side shared by many accounts. */
export function createProfilesService({ db, logger }: ProfilesServiceDeps) {
  async function get(id: number): Promise<Profile> {
    const row = await repo.findProfileView(db, id);
    if (!row) throw errors.notFound('profile', id);
    return toProfile(row);
  }

  async function list(query: ProfileListInput): Promise<{ items: Profile[]; total: number }> {
    const filter = { page: 1, pageSize: 50, order: 'asc' as const, ...query };
    const { rows, total } = await repo.listProfiles(db, filter);
    return { items: rows.map(toProfile), total };
  }

  async function create(input: CreateProfileInput): Promise<Profile> {
    const { values, problems } = normalize(input);
    await checkName(values.name, undefined, problems);
    if (problems.length > 0) throw errors.validationFailed(problems);

    const row = await translateUniqueViolation(() =>
      repo.insertProfile(db, { ...values, name: values.name ?? '', sipServer: values.sipServer ?? '' }),
    );
    logger.info({ profileId: row.id }, 'profile created');
    return toProfile(row);
  }

  async function update(id: number, input: UpdateProfileInput): Promise<Profile> {
    const { version, ...fields } = input;
    const current = await repo.findProfileView(db, id);
    if (!current) throw errors.notFound('profile', id);
    if (version !== undefined && version !== current.version) throw errors.staleVersion('profile', id, version, current.version);

    const { values, problems } = normalize(fields);
    await checkName(values.name, id, problems);
    if (problems.length > 0) throw errors.validationFailed(problems);
    // A PATCH that changes nothing keeps the version, so it cannot make other editors' copies stale.
    if (!changesAnyColumn(current, values)) return toProfile(current);

    const row = await translateUniqueViolation(() => repo.updateProfile(db, id, version ?? current.version, values));
    if (!row) {
      const latest = await repo.findProfile(db, id);
      if (!latest) throw errors.notFound('profile', id);
      throw errors.staleVersion('profile', id, version ?? current.version, latest.version);
    }
    logger.info({ profileId: id, version: row.version }, 'profile updated');
    return toProfile(row);
  }

  async function remove(id: number): Promise<void> {
    const current = await repo.findProfile(db, id);
    if (!current) throw errors.notFound('profile', id);

    const users = await repo.countProfileUsers(db, id);
    if (users.accounts > 0 || users.devices > 0) throw profileInUse(current.name, users);

    try {
      await repo.deleteProfile(db, id);
    } catch (error) {
      // An account or device added since the count: the foreign key keeps the profile.
      if (!foreignKeyViolation(error)) throw error;
      throw profileInUse(current.name, await repo.countProfileUsers(db, id));
    }
    logger.info({ profileId: id }, 'profile deleted');
  }

  /** Adds a problem when another profile has the name in any letter case. */
  async function checkName(name: string | undefined, exceptId: number | undefined, problems: FieldProblem[]): Promise<void> {
    if (!name) return;

    const existing = await repo.findProfileByName(db, name);
    if (existing && existing.id !== exceptId) {
      problems.push({ field: 'name', value: name, message: `is already used by profile ${existing.id} (names are compared in any letter case); choose another name` });
    }
  }

  return { get, list, create, update, remove };
}

function profileInUse(name: string, users: { accounts: number; devices: number }) {
  return errors.conflict(
    'profile_in_use',
    `The profile "${name}" is still used by ${users.accounts} account(s) and ${users.devices} device(s); move them to another profile or delete them first.`,
    { accountCount: users.accounts, deviceCount: users.devices },
  );
}

async function translateUniqueViolation<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error) === 'profiles_name_key') {
      throw errors.validationFailed([{ field: 'name', message: 'is already used by another profile; choose another name' }]);
    }
    throw error;
  }
}

/** Trims text fields and checks the extra parameters; returns the values and every problem found. */
function normalize(input: Partial<CreateProfileInput>): { values: ProfileUpdate; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values: ProfileUpdate = {};

  for (const key of ['name', 'sipServer'] as const) {
    if (input[key] === undefined) continue;
    const text = input[key].trim();
    if (text === '') problems.push({ field: key, value: input[key], message: 'must not be empty' });
    values[key] = text;
  }
  const sipServerProblem = values.sipServer ? sipServerRule(values.sipServer) : undefined;
  if (sipServerProblem) problems.push({ field: 'sipServer', value: input.sipServer, message: sipServerProblem });

  for (const key of ['outboundProxy', 'failoverServer'] as const) {
    if (input[key] === undefined) continue;
    const text = trimOrNull(input[key]) ?? null;
    const rule = text === null ? undefined : hostAndPortRule(text);
    if (rule) problems.push({ field: key, value: input[key], message: rule });
    values[key] = text;
  }

  for (const key of ['sipPort', 'transport', 'registrationExpiry', 'dtmfMode', 'natTraversal', 'rport', 'mwiSubscribe'] as const) {
    if (input[key] !== undefined) (values as Record<string, unknown>)[key] = input[key];
  }
  if (input.extraParameters !== undefined) {
    problems.push(...checkExtraParameters(input.extraParameters));
    values.extraParameters = JSON.stringify(input.extraParameters);
  }

  return { values, problems };
}

/** Converts a row to the API's profile; the usage counts are included when the row has them. */
export function toProfile(row: ProfileRow & { accountCount?: number; deviceCount?: number }): Profile {
  return {
    id: row.id,
    name: row.name,
    sipServer: row.sipServer,
    sipPort: row.sipPort,
    transport: row.transport,
    outboundProxy: row.outboundProxy,
    failoverServer: row.failoverServer,
    registrationExpiry: row.registrationExpiry,
    dtmfMode: row.dtmfMode,
    natTraversal: row.natTraversal,
    rport: row.rport,
    mwiSubscribe: row.mwiSubscribe,
    extraParameters: row.extraParameters,
    ...(row.accountCount === undefined ? {} : { accountCount: row.accountCount }),
    ...(row.deviceCount === undefined ? {} : { deviceCount: row.deviceCount }),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
