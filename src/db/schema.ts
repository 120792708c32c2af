import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Row types of every table, in camelCase (Kysely's CamelCasePlugin maps them to snake_case). */
export interface Database {
  profiles: ProfileTable;
  accounts: AccountTable;
  devices: DeviceTable;
  deviceLines: DeviceLineTable;
  discoveredDevices: DiscoveredDeviceTable;
  deviceRequests: DeviceRequestTable;
  accountImports: AccountImportTable;
  roles: RoleTable;
  users: UserTable;
  sessions: SessionTable;
  apiTokens: ApiTokenTable;
  auditLog: AuditLogTable;
  provisioningAccess: ProvisioningAccessTable;
  deviceProvisioningAccess: DeviceProvisioningAccessTable;
  pushJobs: PushJobTable;
  pushJobDevices: PushJobDeviceTable;
}

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export type Transport = 'udp' | 'tcp' | 'tls';
export type DtmfMode = 'rfc2833' | 'inband' | 'sip-info';
export type AccountStatus = 'online' | 'offline';

export interface ProfileTable {
  id: Generated<number>;
  name: string;
  sipServer: string;
  sipPort: ColumnType<number, number | undefined, number>;
  transport: ColumnType<Transport, Transport | undefined, Transport>;
  outboundProxy: string | null;
  failoverServer: string | null;
  registrationExpiry: ColumnType<number, number | undefined, number>;
  dtmfMode: ColumnType<DtmfMode, DtmfMode | undefined, DtmfMode>;
  natTraversal: ColumnType<boolean, boolean | undefined, boolean>;
  rport: ColumnType<boolean, boolean | undefined, boolean>;
  mwiSubscribe: ColumnType<boolean, boolean | undefined, boolean>;
  extraParameters: ColumnType<Record<string, string>, string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface AccountTable {
  id: Generated<number>;
  name: string;
  profileId: number;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  label: string;
  sipUserId: string;
  authId: string;
  authPassword: string;
  directPickupCode: string | null;
  groupPickupCode: string | null;
  featureKeySync: ColumnType<boolean, boolean | undefined, boolean>;
  voicemailUserId: string | null;
  dialPlan: string | null;
  eventListBlfUrl: string | null;
  pin: string;
  displayName: string | null;
  localSipPort: ColumnType<number, number | undefined, number>;
  useRandomPort: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<AccountStatus, AccountStatus | undefined, AccountStatus>;
  statusChangedAt: Date | null;
  version: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface DeviceTable {
  id: Generated<number>;
  mac: string;
  model: string;
  profileId: number;
  description: string | null;
  lastSeenAt: Date | null;
  lastAddress: string | null;
  lastUserAgent: string | null;
  reportedModel: string | null;
  firmware: string | null;
  /** Config dialect chosen by an admin; null follows the model. */
  dialect: ColumnType<ConfigDialect | null, ConfigDialect | null | undefined, ConfigDialect | null>;
  /** Secret in the device's Action URLs; the database fills it in on insert. */
  statusToken: ColumnType<string, never, string>;
  /** NOTIFY target override as `[udp:|tcp:]host[:port]`; null uses the last known address. */
  sipTarget: ColumnType<string | null, string | null | undefined, string | null>;
  /** SIP port the phone last reported in a status report, used with Use Random Port. */
  reportedSipPort: ColumnType<number | null, number | null | undefined, number | null>;
  version: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export type ConfigDialect = 'p-code' | 'named';

/** A phone that asked for its cfg<mac>.xml while no device has its MAC. */
export interface DiscoveredDeviceTable {
  mac: string;
  firstSeenAt: ColumnType<Date, Date | undefined, Date>;
  lastSeenAt: ColumnType<Date, Date | undefined, Date>;
  lastAddress: string;
  reportedModel: string | null;
  firmware: string | null;
  requestCount: ColumnType<number, number | undefined, number>;
}

/** One phone request for a device's files, kept for the last requests of each device. */
export interface DeviceRequestTable {
  id: Generated<number>;
  deviceId: number;
  requestedAt: ColumnType<Date, Date | undefined, never>;
  fileName: string;
  statusCode: number;
  reason: string | null;
  address: string;
  userAgent: string | null;
}

export interface DeviceLineTable {
  deviceId: number;
  line: number;
  accountId: number;
}

export type ProfileRow = Selectable<ProfileTable>;
export type NewProfileRow = Insertable<ProfileTable>;
export type ProfileUpdate = Updateable<ProfileTable>;
export type AccountRow = Selectable<AccountTable>;
export type NewAccountRow = Insertable<AccountTable>;
export type AccountUpdate = Updateable<AccountTable>;
export type DeviceRow = Selectable<DeviceTable>;
export type NewDeviceRow = Insertable<DeviceTable>;
export type DeviceUpdate = Updateable<DeviceTable>;
export type DeviceLineRow = Selectable<DeviceLineTable>;
export type DiscoveredDeviceRow = Selectable<DiscoveredDeviceTable>;
export type DeviceRequestRow = Selectable<DeviceRequestTable>;

export type AccountImportState = 'reading' | 'validating' | 'writing' | 'done' | 'failed';

/** A background account spreadsheet import: its progress and, when finished, its report. */
export interface AccountImportTable {
  id: string;
  mode: 'dry-run' | 'all-or-nothing' | 'valid-rows';
  state: AccountImportState;
  rowsRead: ColumnType<number, number | undefined, number>;
  rowsValidated: ColumnType<number, number | undefined, number>;
  rowsWritten: ColumnType<number, number | undefined, number>;
  total: number | null;
  /** The import report, or `{ error: { code, message } }` when the file could not be imported. */
  result: ColumnType<unknown | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export type PushDeviceState = 'queued' | 'sent' | 'answered' | 'confirmed' | 'failed';

/** A push: check-sync NOTIFYs to a set of devices, run now or at a time. */
export interface PushJobTable {
  id: Generated<string>;
  mode: 'now' | 'at';
  runAt: Date;
  reboot: ColumnType<boolean, boolean | undefined, boolean>;
  maxConcurrent: number;
  /** NOTIFYs per second over all server instances; 0 is uncapped. */
  ratePerSecond: number;
  /** Start of the current one-second rate window and the NOTIFYs claimed in it. */
  windowStartedAt: ColumnType<Date, Date | undefined, Date>;
  sentInWindow: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
}

/** One device of a push and its result. */
export interface PushJobDeviceTable {
  jobId: string;
  deviceId: number;
  mac: string;
  state: ColumnType<PushDeviceState, PushDeviceState | undefined, PushDeviceState>;
  /** The sender's outcome: answered, refused, timed-out, failed, or no-address. */
  outcome: string | null;
  sipStatus: number | null;
  reason: string | null;
  /** How many times a worker claimed the row; above one means it was resent after a restart. */
  dispatches: ColumnType<number, number | undefined, number>;
  sentAt: Date | null;
  answeredAt: Date | null;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export type PushJobRow = Selectable<PushJobTable>;
export type PushJobDeviceRow = Selectable<PushJobDeviceTable>;

/** An admin role: a named set of permissions (see src/auth/permissions.ts). */
export interface RoleTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  permissions: ColumnType<string[], string, string>;
  builtIn: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** An admin login; the password is kept as an argon2id hash. */
export interface UserTable {
  id: Generated<number>;
  username: string;
  passwordHash: string;
  roleId: number;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  lastLoginAt: Date | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A web UI session, found by the SHA-256 of its cookie value. */
export interface SessionTable {
  idHash: string;
  userId: number;
  csrfToken: string;
  address: string;
  createdAt: CreatedAt;
  expiresAt: Date;
}

/** A Bearer token for scripts, found by the SHA-256 of its value. */
export interface ApiTokenTable {
  id: Generated<number>;
  userId: number;
  name: string;
  tokenHash: string;
  createdAt: CreatedAt;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** One audited action: who did what to which object, from where, and the outcome. */
export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | undefined, never>;
  actor: string | null;
  actorUserId: number | null;
  address: string;
  action: string;
  method: string | null;
  route: string | null;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'failure';
  statusCode: number | null;
  before: ColumnType<unknown | null, string | null | undefined, never>;
  after: ColumnType<unknown | null, string | null | undefined, never>;
}

export type ProvisioningAccessMode = 'open' | 'networks' | 'networks-or-credentials' | 'credentials';

/** The single row of installation-wide phone access settings. */
export interface ProvisioningAccessTable {
  id: number;
  mode: ProvisioningAccessMode;
  allowedNetworks: ColumnType<string[], string | undefined, string>;
  fleetUsername: string | null;
  fleetPassword: string | null;
  previousFleetUsername: string | null;
  previousFleetPassword: string | null;
  fleetChangedAt: Date | null;
  graceMinutes: number;
  allowBasicOverHttp: boolean;
  blockThreshold: number;
  blockMinutes: number;
  updatedAt: UpdatedAt;
}

/** A device's own phone access mode or credentials; null columns follow the installation. */
export interface DeviceProvisioningAccessTable {
  deviceId: number;
  mode: ProvisioningAccessMode | null;
  username: string | null;
  devicePassword: string | null;
  updatedAt: UpdatedAt;
}
