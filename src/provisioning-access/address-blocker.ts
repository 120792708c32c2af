/**
 * Counts refused phone requests (unknown MAC, missing or wrong credentials) per source address
 * and blocks an address that reaches the threshold within the block period. Kept in memory.
 * NOTE: each server process counts on its own, and a restart clears the blocks.
 */
export function createAddressBlocker(maxTrackedAddresses = 100_000) {
  const failures = new Map<string, { count: number; firstAt: number; blockedUntil: number }>();

  function blockedUntil(address: string, now = Date.now()): number | undefined {
    const entry = failures.get(address);
    return entry && entry.blockedUntil > now ? entry.blockedUntil : undefined;
  }

  /** Counts one refusal; returns true when this refusal starts a block. */
  function recordRefusal(address: string, threshold: number, blockMinutes: number, now = Date.now()): boolean {
    const periodMs = blockMinutes * 60_000;
    let entry = failures.get(address);
    if (!entry || (now - entry.firstAt > periodMs && entry.blockedUntil <= now)) {
      if (failures.size >= maxTrackedAddresses) failures.delete(failures.keys().next().value!);
      entry = { count: 0, firstAt: now, blockedUntil: 0 };
      failures.set(address, entry);
    }
    entry.count += 1;
    if (entry.count >= threshold && entry.blockedUntil <= now) {
      entry.blockedUntil = now + periodMs;
      return true;
    }
    return false;
  }

  return { blockedUntil, recordRefusal };
}
