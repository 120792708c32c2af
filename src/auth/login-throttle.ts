/**
 * Counts failed logins per user name and per address in a sliding window. Kept in memory, so
 * each server process counts on its own.
 * NOTE: behind a load balancer with several instances the limits apply per instance.
 */
export interface LoginThrottleOptions {
  windowMs: number;
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = { windowMs: 15 * 60 * 1000, maxFailuresPerUser: 5, maxFailuresPerAddress: 20 };

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle(options: LoginThrottleOptions = defaultLoginThrottle) {
  const failures = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const kept = (failures.get(key) ?? []).filter((at) => now - at < options.windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  function retryAfterSeconds(username: string, address: string, now = Date.now()): number {
    const byUser = recent(`user:${username.toLowerCase()}`, now);
    const byAddress = recent(`address:${address}`, now);
    const blockedBy = [byUser.length >= options.maxFailuresPerUser ? byUser : undefined, byAddress.length >= options.maxFailuresPerAddress ? byAddress : undefined];

    const waits = blockedBy.filter((list) => list !== undefined).map((list) => Math.ceil((list[0]! + options.windowMs - now) / 1000));
    return waits.length === 0 ? 0 : Math.max(1, ...waits);
  }

  function recordFailure(username: string, address: string, now = Date.now()): void {
    for (const key of [`user:${username.toLowerCase()}`, `address:${address}`]) failures.set(key, [...recent(key, now), now]);
  }

  function recordSuccess(username: string): void {
    failures.delete(`user:${username.toLowerCase()}`);
  }

  return { retryAfterSeconds, recordFailure, recordSuccess };
}
