// An item's 迟报 mark when the day limit changes: the dates decide, unless a reviewer corrected the
// mark. A correction is a decision on the item (often an upheld appeal), so a later change of the
// limit does not undo it.
import type { CorrectionKindCode } from "./appeals";
import { isLate } from "./report-month";

/**
 * The 迟报 mark each kind of correction leaves on the item, or null for a kind that does not touch
 * the mark. Every kind is listed, so a new kind has to say what it does to the mark.
 */
const MARK_AFTER: Record<CorrectionKindCode, boolean | null> = {
  grade: null,
  pickup_removed: null,
  instruction_removed: null,
  late_cleared: false,
};

/** The kinds of correction that set an item's 迟报 mark (the ones a reassessment has to read). */
export const LATE_CORRECTION_KINDS = (Object.keys(MARK_AFTER) as CorrectionKindCode[]).filter((k) => MARK_AFTER[k] !== null);

/**
 * The 迟报 mark of an item under `lateAfterDays`. `corrections` are the kinds of the item's
 * corrections, oldest first: the latest one that sets the mark decides; with none, the dates do.
 */
export function lateMark(input: {
  eventDate: string;
  arrivedAt: string;
  lateAfterDays: number;
  corrections: readonly CorrectionKindCode[];
}): boolean {
  for (let i = input.corrections.length - 1; i >= 0; i--) {
    const mark = MARK_AFTER[input.corrections[i]];
    if (mark !== null) return mark;
  }
  return isLate(input.eventDate, input.arrivedAt, input.lateAfterDays);
}
