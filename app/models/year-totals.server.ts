// A year's closed months summed per unit. Each close stores the running totals of its year up to
// its month (in the closing transaction, one SQL statement), so a year-to-date league reads one
// close's 20,000 rows instead of grouping 200,000 snapshot rows. When the closed months asked for
// are not exactly a stored basis (a month reopened, or closed out of order) the snapshots are
// summed as before: the same numbers either way (tests/models/year-totals.test.ts).
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { UnitMonthsCounts, UnitMonthsSums } from "~/domain/rankings-view";
import { readColumns } from "~/models/read-columns.server";

type DB = Kysely<Database> | Transaction<Database>;

const basisOf = (closeIds: readonly number[]) => [...closeIds].sort((a, b) => a - b).join(",");

/** The per-unit sums over the given closes' snapshots, as SQL groups them (the columns of UnitMonthsSums). */
const sumsOver = (closeIds: readonly number[]) => sql`
  select s.unit_id, s.kind_code, max(c.month) as latest, sum(s.quota) as quota, sum(s.submitted) as submitted,
         sum(s.adopted) as adopted, sum(s.late) as late, sum(s.pickups_national) as pickups_national,
         sum(s.pickups_province) as pickups_province, sum(s.pickups_city) as pickups_city,
         sum(cast(round(s.points * 100) as integer)) as cents,
         sum(s.status = 'met') as met, sum(s.status = 'short') as short, sum(s.status = 'none') as none
  from month_unit_snapshots s
  join month_closes c on c.id = s.close_id
  where s.close_id in (${sql.join([...closeIds])})
  group by s.unit_id`;
// max(c.month) makes SQLite take kind_code from the unit's latest month (its bare-column rule).

/**
 * Stores the year's running totals at a close (inside the closing transaction, after its
 * snapshots): Σ over every close in force of the same year up to and including this month.
 */
export async function storeYearTotals(trx: Transaction<Database>, closeId: number, month: string): Promise<void> {
  const closes = await trx
    .selectFrom("month_closes")
    .select("id")
    .where("reopened_at", "is", null)
    .where("month", ">=", `${month.slice(0, 4)}-01`)
    .where("month", "<=", month)
    .execute();
  const ids = closes.map((c) => c.id);
  await trx.insertInto("month_close_year_totals").values({ close_id: closeId, basis: basisOf(ids) }).execute();
  await sql`insert into month_unit_year_totals (unit_id, kind_code, latest, quota, submitted, adopted, late, pickups_national,
                                                pickups_province, pickups_city, cents, met, short, none, close_id)
            select *, ${closeId} from (${sumsOver(ids)})`.execute(trx);
}

/** Each column of UnitMonthsSums as SQL reads it from the sums `t`, the unit `u` and its kind `k`. */
const SUM_COLUMNS: Record<keyof UnitMonthsSums, string> = {
  unitId: "t.unit_id", code: "u.code", name: "u.name", kind: "t.kind_code", kindName: "ifnull(k.name, t.kind_code)", latest: "t.latest",
  quota: "t.quota", submitted: "t.submitted", adopted: "t.adopted", late: "t.late", national: "t.pickups_national",
  province: "t.pickups_province", city: "t.pickups_city", cents: "t.cents", met: "t.met", short: "t.short", none: "t.none",
};

/** The close whose stored year totals sum exactly the given closes (with its channel or people totals stored, when asked), if any. */
async function storedBasis(db: DB, closeIds: readonly number[], withPart?: "channels" | "people"): Promise<number | null> {
  const stored = await db
    .selectFrom("month_closes as c")
    .innerJoin("month_close_year_totals as t", "t.close_id", "c.id")
    .select(["c.id", "t.basis", "t.channels", "t.people"])
    .where("c.id", "in", [...closeIds])
    .orderBy("c.month", "desc")
    .limit(1)
    .executeTakeFirst();
  return stored && stored.basis === basisOf(closeIds) && (!withPart || stored[withPart] === 1) ? stored.id : null;
}

/**
 * Stores the year's running totals per unit and channel at a close (inside the closing
 * transaction, after its channel snapshots and storeYearTotals): Σ over the same closes.
 */
export async function storeChannelYearTotals(trx: Transaction<Database>, closeId: number): Promise<void> {
  const { basis } = await trx.selectFrom("month_close_year_totals").select("basis").where("close_id", "=", closeId).executeTakeFirstOrThrow();
  await sql`insert into month_unit_channel_year_totals (close_id, unit_id, channel_id, latest, channel_name, sort_order, submitted, adopted)
            select ${closeId}, unit_id, channel_id, latest, channel_name, sort_order, submitted, adopted
            from (${channelSumsOver(basis.split(",").map(Number))})`.execute(trx);
  await trx.updateTable("month_close_year_totals").set({ channels: 1 }).where("close_id", "=", closeId).execute();
}

/**
 * Σ per unit and channel over the given closes' channel snapshots, each with the name and place of
 * the newest of those months that has it (max(c.month) makes SQLite take the bare columns from
 * that row). Columns: latest, unit_id, channel_id, channel_name, sort_order, submitted, adopted.
 */
const channelSumsOver = (closeIds: readonly number[]) => sql`
  select max(c.month) as latest, s.unit_id, s.channel_id, s.channel_name, s.sort_order, sum(s.submitted) as submitted,
         sum(s.adopted) as adopted
  from month_unit_channel_snapshots s
  join month_closes c on c.id = s.close_id
  where s.close_id in (${sql.join([...closeIds])})
  group by s.unit_id, s.channel_id`;

/**
 * The closes' channel counts per unit and channel, as a query with channelSumsOver's columns: the
 * stored totals of the latest close when they sum exactly these closes, else the snapshots summed.
 */
export async function closedChannelSums(db: DB, closeIds: readonly number[]) {
  const stored = await storedBasis(db, closeIds, "channels");
  return stored === null
    ? channelSumsOver(closeIds)
    : sql`select latest, unit_id, channel_id, channel_name, sort_order, submitted, adopted from month_unit_channel_year_totals where close_id = ${stored}`;
}

/**
 * Σ per unit over the given closes (a year's closed months): the stored totals of the latest of
 * them when they sum exactly these closes, else the snapshots summed now. Units' codes and names
 * are today's; kinds are those of each unit's latest closed month. Read as one JSON array per
 * column (20,000 units cost one parse and no object per unit).
 */
export async function closedMonthSums(db: DB, closeIds: readonly number[]): Promise<UnitMonthsSums> {
  return closedSumsWith<UnitMonthsSums>(db, closeIds, SUM_COLUMNS);
}

/**
 * closedMonthSums without the units' codes and names and the kinds' names (a province's are most of
 * the text to parse): the year's table takes those from the unit directory and the kinds it reads anyway.
 */
export async function closedMonthCounts(db: DB, closeIds: readonly number[]): Promise<UnitMonthsCounts> {
  const { code: _code, name: _name, kindName: _kindName, ...columns } = SUM_COLUMNS;
  return closedSumsWith<UnitMonthsCounts>(db, closeIds, columns);
}

async function closedSumsWith<T>(db: DB, closeIds: readonly number[], columns: Record<string, string>): Promise<T> {
  if (closeIds.length === 0) return Object.fromEntries(Object.keys(columns).map((k) => [k, []])) as T;
  const stored = await storedBasis(db, closeIds);
  const source = stored !== null ? sql`select * from month_unit_year_totals where close_id = ${stored}` : sumsOver(closeIds);
  // The kinds are joined only for their names.
  const kinds = "kindName" in columns ? sql`left join unit_kinds k on k.code = t.kind_code` : sql``;
  return readColumns<T>(db, columns, sql`
    from (${source}) t
    join units u on u.id = t.unit_id
    ${kinds}`);
}

/**
 * Σ per person over the given closes' people snapshots, in hundredths (each month's points and
 * items rounded to the cent, as the year's table adds them), with the unit of their latest month
 * (max(c.month): SQLite takes the bare unit_id from that row). Columns: account_id, unit_id,
 * latest, cents, item_cents.
 */
const peopleSumsOver = (closeIds: readonly number[]) => sql`
  select s.account_id, s.unit_id, max(c.month) as latest, sum(cast(round(s.points * 100) as integer)) as cents,
         sum(cast(round(s.items * 100) as integer)) as item_cents
  from month_correspondent_snapshots s
  join month_closes c on c.id = s.close_id
  where s.close_id in (${sql.join([...closeIds])})
  group by s.account_id`;

/**
 * Stores the year's running totals per person at a close (inside the closing transaction, after
 * its people snapshots and storeYearTotals): Σ over the same closes.
 */
export async function storePeopleYearTotals(trx: Transaction<Database>, closeId: number): Promise<void> {
  const { basis } = await trx.selectFrom("month_close_year_totals").select("basis").where("close_id", "=", closeId).executeTakeFirstOrThrow();
  await sql`insert into month_correspondent_year_totals (close_id, account_id, unit_id, latest, cents, item_cents)
            select ${closeId}, account_id, unit_id, latest, cents, item_cents from (${peopleSumsOver(basis.split(",").map(Number))})`.execute(trx);
  await trx.updateTable("month_close_year_totals").set({ people: 1 }).where("close_id", "=", closeId).execute();
}

/**
 * The closes' people sums, as a query with peopleSumsOver's columns: the stored totals of the
 * latest close when they sum exactly these closes, else the snapshots summed.
 */
export async function closedPeopleSums(db: DB, closeIds: readonly number[]) {
  const stored = await storedBasis(db, closeIds, "people");
  return stored === null
    ? peopleSumsOver(closeIds)
    : sql`select account_id, unit_id, latest, cents, item_cents from month_correspondent_year_totals where close_id = ${stored}`;
}
