// The correspondents' tables of the league pages: a month's (frozen at close, or live from the
// rollup) and a period's Σ. Across a province there is a correspondent a unit, 20,000 rows a month
// and 200,000 over ten closed months: each read comes back as columns (one JSON, read-columns),
// the closed months come summed (stored at their close) and are kept per set of closes (a close
// never changes), and the names are joined from directories read once per figures write.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  addPeopleMonth,
  addPeopleSums,
  listFrozenCorrespondents,
  namedPerson,
  rankPeopleTotals,
  type CorrespondentMonth,
  type CorrespondentRankingRow,
  type PeopleMonthColumns,
  type PeopleNames,
  type PeopleSumsColumns,
} from "~/domain/rankings-people";
import { closesCache } from "~/models/closes-cache.server";
import { unitDirectory } from "~/models/months.server";
import { exactReal, readColumns } from "~/models/read-columns.server";
import { writeCache } from "~/models/write-cache.server";
import { closedPeopleSums } from "~/models/year-totals.server";

type DB = Kysely<Database> | Transaction<Database>;

/**
 * A month's people, to be summed: the frozen rows of the close in force, else the rollup's live
 * rows. Items and points are summed in hundredths (addPeopleMonth), so SQLite's 15 digits are enough.
 */
function peopleOfMonth(db: DB, month: string, closeId: number | null): Promise<PeopleMonthColumns> {
  const from = closeId === null ? sql`from correspondent_month_stats where month = ${month}` : sql`from month_correspondent_snapshots where close_id = ${closeId}`;
  return readColumns<PeopleMonthColumns>(db, { accountId: "account_id", unitId: "unit_id", items: "items", points: "points" }, from);
}

/** Accounts and units by id, with their names as they are now, for the people tables. */
const directories = writeCache<PeopleNames>();

/** The names of accounts and units, read once per figures write and shared. */
function peopleNames(db: DB): Promise<PeopleNames> {
  return directories.get(db, "people-names", async () => {
    const [accounts, units] = await Promise.all([
      readColumns<{ id: number[]; username: string[]; displayName: string[]; active: number[] }>(
        db,
        { id: "id", username: "username", displayName: "display_name", active: "active" },
        sql`from accounts`,
      ),
      unitDirectory(db),
    ]);
    const account = new Map<number, { username: string; displayName: string; active: boolean }>();
    for (let i = 0; i < accounts.id.length; i++) {
      account.set(accounts.id[i], { username: accounts.username[i], displayName: accounts.displayName[i], active: accounts.active[i] === 1 });
    }
    const unitName = new Map<number, string>();
    for (let i = 0; i < units.unitId.length; i++) unitName.set(units.unitId[i], units.name[i]);
    return { account: (id) => account.get(id), unitName: (id) => unitName.get(id) };
  }, "none");
}

/** A month's correspondents ranked: a closed month's ranks as frozen, an open month's by split points. */
export async function correspondentsOfMonth(db: DB, month: string, closeId: number | null): Promise<CorrespondentRankingRow[]> {
  const names = await peopleNames(db);
  if (closeId === null) return rankPeopleTotals(addPeopleMonth(new Map(), month, await peopleOfMonth(db, month, null)), names);
  // Shown as frozen: the REALs as text that reads back to the same double.
  const frozen = await readColumns<{ accountId: number[]; unitId: number[]; items: string[]; points: string[]; rank: number[] }>(
    db,
    { accountId: "account_id", unitId: "unit_id", items: exactReal("items"), points: exactReal("points"), rank: "rank" },
    sql`from month_correspondent_snapshots where close_id = ${closeId}`,
  );
  const rows: Array<CorrespondentMonth & { rank: number }> = [];
  for (let j = 0; j < frozen.accountId.length; j++) {
    const row = namedPerson(names, frozen.accountId[j], frozen.unitId[j], Number(frozen.items[j]), Number(frozen.points[j]));
    if (row) rows.push(Object.assign(row, { rank: frozen.rank[j] }));
  }
  return listFrozenCorrespondents(rows);
}

/**
 * A close's snapshot never changes (reopening makes a new close): the sums over a set of closes
 * are read once per process (the latest close's stored year totals when they cover exactly these
 * closes), and a year's table after a write to the open month adds only the other months.
 */
const closedSums = closesCache<PeopleSumsColumns>();

/** Forgets the closed months' sums (for measurements that must compute from the tables). */
export function clearClosedPeople(): void {
  closedSums.clear();
}

const NO_SUMS: PeopleSumsColumns = { accountId: [], unitId: [], latest: [], cents: [], itemCents: [] };

function keptClosedSums(db: DB, closeIds: readonly number[]): Promise<PeopleSumsColumns> {
  if (closeIds.length === 0) return Promise.resolve(NO_SUMS);
  return closedSums.get(db, closeIds, async () =>
    readColumns<PeopleSumsColumns>(
      db,
      { accountId: "account_id", unitId: "unit_id", latest: "latest", cents: "cents", itemCents: "item_cents" },
      sql`from (${await closedPeopleSums(db, closeIds)})`,
    ),
  );
}

/**
 * Σ over a period of each person's items and points, ranked: the closed months' sums (kept), plus
 * the other months of the period, each frozen at its close or live (`closeId` null).
 */
export async function correspondentsOfMonths(
  db: DB,
  closeIds: readonly number[],
  others: ReadonlyArray<{ month: string; closeId: number | null }>,
): Promise<CorrespondentRankingRow[]> {
  const [closed, names, ...months] = await Promise.all([
    keptClosedSums(db, closeIds),
    peopleNames(db),
    ...others.map((m) => peopleOfMonth(db, m.month, m.closeId)),
  ]);
  const totals = addPeopleSums(new Map(), closed);
  others.forEach((m, i) => addPeopleMonth(totals, m.month, months[i]));
  return rankPeopleTotals(totals, names);
}
