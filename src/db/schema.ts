import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Row types of every table, in camelCase (Kysely's CamelCasePlugin maps them to snake_case). */
export interface Database {
  profiles: ProfileTable;
  accounts: AccountTable;
  devices: DeviceTable;
  deviceLines: DeviceLineTable;
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
  version: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
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
