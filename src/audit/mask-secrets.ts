/** Field names whose values never reach the audit log. */
const secretKeys = new Set(['authPassword', 'pin', 'password', 'passwordHash', 'fleetPassword', 'previousFleetPassword', 'devicePassword', 'token', 'tokenHash', 'csrfToken']);

/** Copies a value with every secret field replaced by "[secret]", at any depth. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;

  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, secretKeys.has(key) && item !== null && item !== undefined ? '[secret]' : maskSecrets(item)]),
  );
}
