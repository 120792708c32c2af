import type { Dialect } from './parameters.js';
import { profileSlotLimit } from './parameters.js';

/** A line bound to an account, reduced to what profile slot planning needs. */
export interface LineProfile {
  line: number;
  profileId: number;
}

export interface ProfileSlotPlan {
  /** Profile slot (from 1) of each planned line. */
  slotByLine: Map<number, number>;
  /** Profile held by each slot that gets written. */
  profileBySlot: Map<number, number>;
  /** Lines that cannot be given a profile slot, with the reason. */
  rejected: { line: number; profileId: number; message: string }[];
}

/**
 * Assigns each line's profile to a profile slot. Line N uses profile slot N while the dialect
 * knows the codes of that slot. A line above that limit shares the lowest slot already holding
 * its profile; when no slot holds it, the line is rejected, because writing guessed codes could
 * break a working phone.
 */
export function planProfileSlots(lines: readonly LineProfile[], dialect: Dialect, lineCount: number): ProfileSlotPlan {
  const limit = profileSlotLimit(dialect, lineCount);
  const sorted = [...lines].sort((a, b) => a.line - b.line);
  const plan: ProfileSlotPlan = { slotByLine: new Map(), profileBySlot: new Map(), rejected: [] };

  for (const { line, profileId } of sorted) {
    if (line > limit) continue;
    plan.slotByLine.set(line, line);
    plan.profileBySlot.set(line, profileId);
  }

  for (const { line, profileId } of sorted) {
    if (line <= limit) continue;

    const shared = [...plan.profileBySlot.entries()].find(([, slotProfile]) => slotProfile === profileId);
    if (shared) {
      plan.slotByLine.set(line, shared[0]);
      continue;
    }
    const message =
      `cannot use profile ${profileId}: the ${dialect} format has codes for profile slots 1-${limit} only, ` +
      `and no line from 1 to ${limit} uses this profile; bind an account of profile ${profileId} to one of lines 1-${limit}, ` +
      `or use an account of a profile already on those lines`;
    plan.rejected.push({ line, profileId, message });
  }
  return plan;
}
