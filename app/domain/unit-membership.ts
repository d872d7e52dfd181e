// Which units belong in a month's league. A unit is in month M when it existed by the end of M and
// was active at some time during M: active at the start of M, or created or (re)activated during
// M. A unit deactivated during M is still in M (it answers for the part of the month it was
// active); one deactivated before M and not reactivated is not. Months are Asia/Shanghai.
// The league also keeps any unit whose items reached the bureau that month (it has a rollup row),
// whatever its status: that part is the model's, which knows the rollup.
import { addMonths, shanghaiMidnight } from "~/domain/time";

/** A status change at an instant given as epoch milliseconds. */
export interface StatusChangeAt {
  at: number;
  active: boolean;
}

/**
 * The rule for one month with its bounds worked out once, for a pass over a whole directory:
 * `created` and the changes' instants are epoch milliseconds, the changes in time order; `active`
 * is the unit's flag now, which holds throughout when no change is recorded.
 */
export function monthMembership(month: string): (created: number, active: boolean, changes: readonly StatusChangeAt[]) => boolean {
  const start = Date.parse(shanghaiMidnight(`${month}-01`));
  const end = Date.parse(shanghaiMidnight(`${addMonths(month, 1)}-01`));
  return (created, active, changes) => {
    // Created at or after 00:00 on the 1st of the next month (or not a time at all): not yet there.
    if (!(created < end)) return false;
    if (changes.length === 0) return active;
    // Before its first recorded change a unit was in the other state.
    let activeAtStart = !changes[0].active;
    for (const change of changes) {
      if (change.at >= end) break;
      // A change at 00:00 on the 1st is in force for the whole month.
      if (change.at <= start) activeAtStart = change.active;
      else if (change.active) return true;
    }
    return activeAtStart;
  };
}
