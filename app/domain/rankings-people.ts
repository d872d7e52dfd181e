// The correspondents' table: split points ranked as at month close, frozen ranks listed, and a
// person's Σ over several months.
import { round2 } from "./points";
import { rankBy } from "./ranking";

export interface CorrespondentMonth {
  accountId: number;
  username: string;
  displayName: string;
  active: boolean;
  unitId: number;
  unitName: string;
  items: number;
  points: number;
}

export interface CorrespondentRankingRow extends CorrespondentMonth {
  rank: number;
  tied: boolean;
}

const byUsername = (a: { username: string }, b: { username: string }) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

/** Ranked by split points, as at month close: equal points share a rank, listed by username. */
export function rankCorrespondents(rows: readonly CorrespondentMonth[]): CorrespondentRankingRow[] {
  return rankBy(rows, (r) => r.points, byUsername);
}

/** Rows already carrying a frozen rank (a closed month): listed by rank, 并列 where ranks repeat. */
export function listFrozenCorrespondents(rows: ReadonlyArray<CorrespondentMonth & { rank: number }>): CorrespondentRankingRow[] {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank || byUsername(a, b));
  return sorted.map((r, i) => ({
    ...r,
    tied: (i > 0 && sorted[i - 1].rank === r.rank) || (i + 1 < sorted.length && sorted[i + 1].rank === r.rank),
  }));
}

/** Σ items and points of each person over the months; unit and name from their latest month. */
export function sumCorrespondents(months: ReadonlyArray<readonly CorrespondentMonth[]>): CorrespondentRankingRow[] {
  const totals = new Map<number, CorrespondentMonth & { cents: number; itemCents: number }>();
  for (const rows of months) {
    for (const r of rows) {
      const t = totals.get(r.accountId) ?? { ...r, items: 0, points: 0, cents: 0, itemCents: 0 };
      Object.assign(t, { unitId: r.unitId, unitName: r.unitName, displayName: r.displayName, active: r.active, username: r.username });
      t.cents += Math.round(r.points * 100);
      t.itemCents += Math.round(r.items * 100);
      totals.set(r.accountId, t);
    }
  }
  return rankCorrespondents([...totals.values()].map(({ cents, itemCents, ...t }) => ({ ...t, points: cents / 100, items: round2(itemCents / 100) })));
}
