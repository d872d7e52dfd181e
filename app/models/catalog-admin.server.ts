// The admin's categories (栏目) and channels (投送频道). Each change is one transaction with one
// audit row; the checks that depend on other rows (a name already used, the last active one, items
// still using a row) run inside it, so two admins acting at once cannot both pass them.
import { catalogAction, type CatalogChange } from "~/domain/audit-actions";
import { refuse, refusal, settle, type Refusal } from "~/domain/refusal";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  CATALOG_NAMES, deactivationProblem, deletionProblem, duplicateNameMessage, movedOrder, sameNameAs, type CatalogKind,
} from "~/domain/catalog-admin";
import { recordAudit, type AuditActor } from "~/models/audit.server";

type DB = Kysely<Database> | Transaction<Database>;

export interface CatalogEntry {
  id: number;
  name: string;
  sortOrder: number;
  active: boolean;
  /** Items of any state that point at this row. */
  items: number;
}

export type CatalogResult =
  | { ok: true; name: string; changed: boolean }
  | Refusal;

// Both tables have the same columns; the one name Kysely sees keeps the queries typed.
const TABLE = { category: "categories", channel: "channels" } as const;
const ITEM_COLUMN = { category: "items.category_id", channel: "items.channel_id" } as const;
const tableOf = (kind: CatalogKind) => TABLE[kind] as "categories";

async function inTransaction(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<CatalogResult>): Promise<CatalogResult> {
  return settle(() => db.transaction().execute(work));
}

async function rowsOf(db: DB, kind: CatalogKind) {
  const rows = await db.selectFrom(tableOf(kind)).select(["id", "name", "sort_order", "active"]).orderBy("sort_order").orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, sortOrder: r.sort_order, active: r.active === 1 }));
}

async function itemCount(db: DB, kind: CatalogKind, id: number): Promise<number> {
  const row = await db
    .selectFrom("items")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(useOf(kind), "=", id)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

type CatalogRow = Awaited<ReturnType<typeof rowsOf>>[number];

/** A change to one row, in one transaction: the row is read first, refused (404) when it is gone. */
async function changingRow(
  db: Kysely<Database>,
  kind: CatalogKind,
  id: number,
  work: (trx: Transaction<Database>, row: CatalogRow) => Promise<CatalogResult>,
): Promise<CatalogResult> {
  return inTransaction(db, async (trx) => {
    const row = (await rowsOf(trx, kind)).find((r) => r.id === id);
    if (!row) refuse(404, `该${CATALOG_NAMES[kind]}不存在或已被删除。`);
    return work(trx, row);
  });
}

/** Why the kind's active row may not stop being active (the last one), or null. */
async function lastActiveProblem(trx: DB, kind: CatalogKind): Promise<string | null> {
  return deactivationProblem(kind, (await rowsOf(trx, kind)).filter((r) => r.active).length);
}

function audit(trx: DB, kind: CatalogKind, actor: AuditActor, what: CatalogChange, id: number, from: string | null, to: string | null, detail = {}) {
  return recordAudit(trx, {
    actorId: actor.id, actorName: actor.username, action: catalogAction(kind, what), entityType: kind, entityId: id, from, to, ip: actor.ip, detail,
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * An item's entry of a kind as its use-count index holds it (migration 0022): the column plus 0, the
 * same value, indexed under this expression only, so counting reads the index instead of every item
 * (millions at province scale) while the queries that join items to 栏目 or 频道 never pick it
 * instead of their own (with a plain index on the column SQLite walked a whole 栏目's items for the
 * review queue: 0.3 s → 8 s on two million items).
 */
function useOf(kind: CatalogKind) {
  return sql<number>`${sql.ref(ITEM_COLUMN[kind])} + 0`;
}

/** How many items use each entry of a kind (items without one under a null id). */
export function itemsPerEntry(db: DB, kind: CatalogKind) {
  const use = useOf(kind);
  return db.selectFrom("items").select([use.as("id"), (eb) => eb.fn.countAll<number>().as("n")]).groupBy(use);
}

/** Both lists in the item form's order, each row with the number of items that use it. */
export async function catalogOverview(db: DB): Promise<Record<CatalogKind, CatalogEntry[]>> {
  const [categories, channels, byCategory, byChannel] = await Promise.all([
    rowsOf(db, "category"),
    rowsOf(db, "channel"),
    itemsPerEntry(db, "category").execute(),
    itemsPerEntry(db, "channel").execute(),
  ]);
  const counted = (rows: Awaited<ReturnType<typeof rowsOf>>, counts: Array<{ id: number | null; n: number }>) => {
    const byId = new Map(counts.map((c) => [c.id, Number(c.n)]));
    return rows.map((r) => ({ ...r, items: byId.get(r.id) ?? 0 }));
  };
  return { category: counted(categories, byCategory), channel: counted(channels, byChannel) };
}

export async function addCatalogEntry(db: Kysely<Database>, input: { kind: CatalogKind; name: string }, actor: AuditActor): Promise<CatalogResult> {
  const { kind, name } = input;
  return inTransaction(db, async (trx) => {
    const rows = await rowsOf(trx, kind);
    const same = sameNameAs(rows, name);
    if (same) return refusal(400, duplicateNameMessage(kind, same), { field: "name" });
    const sortOrder = Math.max(0, ...rows.map((r) => r.sortOrder)) + 1;
    const row = await trx.insertInto(tableOf(kind)).values({ name, sort_order: sortOrder, active: 1 }).returning("id").executeTakeFirstOrThrow();
    await audit(trx, kind, actor, "added", row.id, null, name);
    return { ok: true, name, changed: true };
  });
}

export async function renameCatalogEntry(
  db: Kysely<Database>,
  input: { kind: CatalogKind; id: number; name: string },
  actor: AuditActor,
): Promise<CatalogResult> {
  const { kind, id, name } = input;
  return changingRow(db, kind, id, async (trx, row) => {
    if (row.name === name) return { ok: true, name, changed: false };
    const same = sameNameAs(await rowsOf(trx, kind), name, id);
    if (same) return refusal(400, duplicateNameMessage(kind, same), { field: "name" });
    await trx.updateTable(tableOf(kind)).set({ name }).where("id", "=", id).execute();
    await audit(trx, kind, actor, "renamed", id, row.name, name, { items: await itemCount(trx, kind, id) });
    return { ok: true, name, changed: true };
  });
}

/** Moves a row one place up or down; the whole list is renumbered 1…n so the order is never tied. */
export async function moveCatalogEntry(
  db: Kysely<Database>,
  input: { kind: CatalogKind; id: number; direction: "up" | "down" },
  actor: AuditActor,
): Promise<CatalogResult> {
  const { kind, id, direction } = input;
  return changingRow(db, kind, id, async (trx, row) => {
    const rows = await rowsOf(trx, kind);
    const order = movedOrder(rows.map((r) => r.id), id, direction);
    if (!order) return { ok: true, name: row.name, changed: false };
    for (const [i, rowId] of order.entries()) {
      await trx.updateTable(tableOf(kind)).set({ sort_order: i + 1 }).where("id", "=", rowId).execute();
    }
    await audit(trx, kind, actor, "reordered", id, String(rows.findIndex((r) => r.id === id) + 1), String(order.indexOf(id) + 1), { direction });
    return { ok: true, name: row.name, changed: true };
  });
}

export async function setCatalogEntryActive(
  db: Kysely<Database>,
  input: { kind: CatalogKind; id: number; active: boolean },
  actor: AuditActor,
): Promise<CatalogResult> {
  const { kind, id, active } = input;
  return changingRow(db, kind, id, async (trx, row) => {
    if (row.active === active) return { ok: true, name: row.name, changed: false };
    if (!active) {
      const problem = await lastActiveProblem(trx, kind);
      if (problem) return refusal(409, problem);
    }
    await trx.updateTable(tableOf(kind)).set({ active: active ? 1 : 0 }).where("id", "=", id).execute();
    await audit(trx, kind, actor, active ? "reactivated" : "deactivated", id, row.name, row.name);
    return { ok: true, name: row.name, changed: true };
  });
}

export async function deleteCatalogEntry(db: Kysely<Database>, input: { kind: CatalogKind; id: number }, actor: AuditActor): Promise<CatalogResult> {
  const { kind, id } = input;
  return changingRow(db, kind, id, async (trx, row) => {
    const problem = deletionProblem(kind, row.name, await itemCount(trx, kind, id));
    if (problem) return refusal(409, problem);
    if (row.active) {
      const activeProblem = await lastActiveProblem(trx, kind);
      if (activeProblem) return refusal(409, activeProblem);
    }
    await trx.deleteFrom(tableOf(kind)).where("id", "=", id).execute();
    await audit(trx, kind, actor, "deleted", id, row.name, null);
    return { ok: true, name: row.name, changed: true };
  });
}
