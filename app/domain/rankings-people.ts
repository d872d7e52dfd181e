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
  // Object.assign, not a spread (see rankBy): a closed month across a province lists 20,000 people.
  return sorted.map((r, i) =>
    Object.assign({}, r, { tied: (i > 0 && sorted[i - 1].rank === r.rank) || (i + 1 < sorted.length && sorted[i + 1].rank === r.rank) }),
  );
}

/**
 * One month of correspondents as columns (a close's snapshot or the rollup's month), as the models
 * read it: at province scale, one person a unit, 20,000 rows a month.
 */
export interface PeopleMonthColumns {
  accountId: readonly number[];
  unitId: readonly number[];
  items: readonly number[];
  points: readonly number[];
}

/** A person's Σ over months, in hundredths, with the unit of their latest month. */
export interface PeopleTotal {
  unitId: number;
  /** The latest month ("YYYY-MM") the person has a row in, whose unit they are listed under. */
  month: string;
  cents: number;
  itemCents: number;
}

/** Each person's totals by account id. */
export type PeopleTotals = Map<number, PeopleTotal>;

/**
 * Adds a month's rows to `totals`: points and items summed in hundredths (each month's value
 * rounded to the cent first, so the sum is exact), the unit taken from the person's latest month.
 * The months may come in any order.
 */
export function addPeopleMonth(totals: PeopleTotals, month: string, rows: PeopleMonthColumns): PeopleTotals {
  for (let j = 0; j < rows.accountId.length; j++) {
    addToPerson(totals, rows.accountId[j], rows.unitId[j], month, Math.round(rows.points[j] * 100), Math.round(rows.items[j] * 100));
  }
  return totals;
}

/** Sums already made over some months (a close's stored year totals), in hundredths, with each person's latest month and unit then. */
export interface PeopleSumsColumns {
  accountId: readonly number[];
  unitId: readonly number[];
  latest: readonly string[];
  cents: readonly number[];
  itemCents: readonly number[];
}

/** Adds sums made over other months to `totals`, as addPeopleMonth adds a month. */
export function addPeopleSums(totals: PeopleTotals, sums: PeopleSumsColumns): PeopleTotals {
  for (let j = 0; j < sums.accountId.length; j++) addToPerson(totals, sums.accountId[j], sums.unitId[j], sums.latest[j], sums.cents[j], sums.itemCents[j]);
  return totals;
}

function addToPerson(totals: PeopleTotals, accountId: number, unitId: number, month: string, cents: number, itemCents: number) {
  let t = totals.get(accountId);
  if (!t) totals.set(accountId, (t = { unitId, month, cents: 0, itemCents: 0 }));
  else if (month > t.month) {
    t.unitId = unitId;
    t.month = month;
  }
  t.cents += cents;
  t.itemCents += itemCents;
}

/** Who an account is, and a unit's name, as the table shows them (the names as they are now). */
export interface PeopleNames {
  account(accountId: number): { username: string; displayName: string; active: boolean } | undefined;
  unitName(unitId: number): string | undefined;
}

/** A person's row with their names as they are now; null for an account or unit no longer known. */
export function namedPerson(names: PeopleNames, accountId: number, unitId: number, items: number, points: number): CorrespondentMonth | null {
  const who = names.account(accountId);
  const unitName = names.unitName(unitId);
  if (!who || unitName === undefined) return null;
  return { accountId, username: who.username, displayName: who.displayName, active: who.active, unitId, unitName, items, points };
}

/** The people of `totals` with their names, ranked by split points; an account no longer known is left out. */
export function rankPeopleTotals(totals: PeopleTotals, names: PeopleNames): CorrespondentRankingRow[] {
  const rows: CorrespondentMonth[] = [];
  for (const [accountId, t] of totals) {
    const row = namedPerson(names, accountId, t.unitId, round2(t.itemCents / 100), t.cents / 100);
    if (row) rows.push(row);
  }
  return rankCorrespondents(rows);
}
