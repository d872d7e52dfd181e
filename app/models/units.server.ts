// Units (单位): created, edited and deactivated by the admin, never deleted, so their items,
// accounts and monthly history stay intact.
import { expressionBuilder, sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from "kysely";
import type { Database } from "../../db/schema";
import type { UnitInput } from "~/domain/directory";
import { changedSinceShown, unitSeen } from "~/domain/edit-seen";
import { refusal, type Refusal } from "~/domain/refusal";
import { recordAudit, type AuditActor } from "~/models/audit.server";

type DB = Kysely<Database>;

export const PAGE_SIZE = 20;

/** The admin doing something, for the audit trail. */
export type SaveResult = { ok: true; id: number } | Refusal;

export type ActiveResult = { ok: true; changed: boolean } | Refusal;

/** Bad input in the fields found at fault (a 400, each message beside its field), or null when none is. */
export function fieldsRefusal(fieldErrors: Record<string, string>): Refusal | null {
  const first = Object.values(fieldErrors)[0];
  return first === undefined ? null : refusal(400, first, { fieldErrors });
}

export const UNIT_NOT_FOUND = "该单位不存在。";
const CODE_TAKEN = "单位代码已存在";

/** True when SQLite refused a write because a unique index on `column` already holds the value. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT" && error.message.includes("UNIQUE") && error.message.includes(column);
}

/**
 * Runs a save whose checks have already passed; when SQLite still refuses it at the unique index
 * on `column` (two admins saving the same value at once: the second loses), answers `taken()`.
 */
export async function refusingUniqueViolation<T>(column: string, taken: () => Refusal, save: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await save();
  } catch (error) {
    if (isUniqueViolation(error, column)) return taken();
    throw error;
  }
}

/** The fields of `next` whose value differs in `current`, each as [before, after]: an audit row's `changes`. */
export function changedFields<N extends object>(current: { [K in keyof N]: unknown }, next: N): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(next)) {
    const before = current[key as keyof N];
    if (before !== value) changes[key] = [before, value];
  }
  return changes;
}

/** `column LIKE %text%` with the wildcards in `text` taken literally. */
export function contains(column: string, text: string): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/** A list's search box: `text`, trimmed, found in any of `columns`; undefined when there is nothing to look for. */
export function containsAny(columns: readonly string[], text: string | undefined): Expression<SqlBool> | undefined {
  const q = text?.trim();
  if (!q) return undefined;
  return expressionBuilder<object, never>().or(columns.map((column) => contains(column, q)));
}

/** How many pages `total` rows fill, at least one (an empty list still shows its first page). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * One page of a filtered list, with how many rows the filter matches and how many pages they
 * fill. `list` selects and orders the rows of `query` (it may join more, as long as the joins
 * add no rows); the total counts `query` itself.
 */
export async function paged<D, T extends keyof D, O, LD, LT extends keyof LD, R>(
  query: SelectQueryBuilder<D, T, O>,
  page: number,
  pageSize: number,
  list: (query: SelectQueryBuilder<D, T, O>) => SelectQueryBuilder<LD, LT, R>,
) {
  const [rows, total] = await Promise.all([
    list(query).limit(pageSize).offset((page - 1) * pageSize).execute(),
    // The generic query cannot name its selection: say what the count row is.
    query.select((eb) => eb.fn.countAll<number>().as("n")).$castTo<{ n: number }>().executeTakeFirstOrThrow(),
  ]);
  const n = Number(total.n);
  return { rows, total: n, pages: pageCount(n, pageSize) };
}

export type StatusFilter = "active" | "inactive";

export interface UnitFilters {
  kind?: string;
  status?: StatusFilter;
  q?: string;
  page: number;
}

export async function listUnitKinds(db: DB) {
  return db.selectFrom("unit_kinds").select(["code", "name"]).orderBy("sort_order").orderBy("code").execute();
}

export async function listUnits(db: DB, filters: UnitFilters) {
  let query = db.selectFrom("units").innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code");
  if (filters.kind) query = query.where("units.kind_code", "=", filters.kind);
  if (filters.status) query = query.where("units.active", "=", filters.status === "active" ? 1 : 0);
  const search = containsAny(["units.code", "units.name", "units.township"], filters.q);
  if (search) query = query.where(search);
  const { rows, total, pages } = await paged(query, filters.page, PAGE_SIZE, (q) =>
    q
      .select((eb) => [
        "units.id", "units.code", "units.name", "units.township", "units.kind_code", "units.signoff_required",
        "units.active", "unit_kinds.name as kind_name",
        eb
          .selectFrom("accounts")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("accounts.unit_id", "=", "units.id")
          .where("accounts.active", "=", 1)
          .as("active_accounts"),
      ])
      .orderBy("unit_kinds.sort_order")
      .orderBy("units.code"),
  );
  return { rows: rows.map((r) => ({ ...r, active_accounts: Number(r.active_accounts ?? 0) })), total, pages };
}

/** Every unit, for select boxes: active ones first. */
export async function listUnitOptions(db: DB) {
  return db
    .selectFrom("units")
    .select(["id", "code", "name", "active"])
    .orderBy("active", "desc")
    .orderBy("code")
    .execute();
}

/** A unit with its accounts (active and not), or null. */
export async function getUnit(db: DB, id: number) {
  const unit = await db
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .selectAll("units")
    .select("unit_kinds.name as kind_name")
    .where("units.id", "=", id)
    .executeTakeFirst();
  if (!unit) return null;
  const accounts = await db
    .selectFrom("accounts")
    .select(["id", "username", "display_name", "role", "phone", "active"])
    .where("unit_id", "=", id)
    .orderBy("active", "desc")
    .orderBy("role", "desc")
    .orderBy("username")
    .execute();
  return { ...unit, accounts };
}

type Trx = Kysely<Database>;

async function inputProblems(trx: Trx, input: UnitInput, selfId: number | null): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const kind = await trx.selectFrom("unit_kinds").select("code").where("code", "=", input.kind).executeTakeFirst();
  if (!kind) errors.kind = "请选择有效的单位类别";
  let taken = trx.selectFrom("units").select("id").where(sql<SqlBool>`upper(code) = ${input.code.toUpperCase()}`);
  if (selfId !== null) taken = taken.where("id", "!=", selfId);
  if (await taken.executeTakeFirst()) errors.code = CODE_TAKEN;
  return errors;
}

const codeTaken = () => refusal(400, CODE_TAKEN, { field: "code" });

export async function createUnit(db: DB, input: UnitInput, actor: AuditActor): Promise<SaveResult> {
  return refusingUniqueViolation("units.code", codeTaken, () =>
    db.transaction().execute(async (trx): Promise<SaveResult> => {
      const problems = fieldsRefusal(await inputProblems(trx, input, null));
      if (problems) return problems;
      const now = new Date().toISOString();
      const { id } = await trx
        .insertInto("units")
        .values({
          code: input.code, name: input.name, township: input.township, kind_code: input.kind,
          signoff_required: input.signoff_required, active: 1, created_at: now, updated_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "unit_created", entityType: "unit", entityId: id,
        ip: actor.ip, at: now,
        detail: { code: input.code, name: input.name, township: input.township, kind: input.kind, signoff_required: input.signoff_required },
      });
      return { ok: true, id };
    }),
  );
}

/** `seen`: what the edit form showed of the unit (unitSeen); a unit changed since is refused (409), nothing written. */
export async function updateUnit(db: DB, id: number, input: UnitInput & { seen?: string }, actor: AuditActor): Promise<SaveResult> {
  return refusingUniqueViolation("units.code", codeTaken, () =>
    db.transaction().execute(async (trx): Promise<SaveResult> => {
      const current = await trx.selectFrom("units").selectAll().where("id", "=", id).executeTakeFirst();
      if (!current) return refusal(404, UNIT_NOT_FOUND);
      if (input.seen !== undefined && input.seen !== unitSeen(current)) return refusal(409, changedSinceShown("该单位的信息"));
      const problems = fieldsRefusal(await inputProblems(trx, input, id));
      if (problems) return problems;
      const next = {
        code: input.code, name: input.name, township: input.township, kind_code: input.kind,
        signoff_required: input.signoff_required,
      };
      const changes = changedFields(current, next);
      if (Object.keys(changes).length === 0) return { ok: true, id };
      const now = new Date().toISOString();
      await trx.updateTable("units").set({ ...next, updated_at: now }).where("id", "=", id).execute();
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "unit_updated", entityType: "unit", entityId: id,
        ip: actor.ip, at: now, detail: { changes },
      });
      return { ok: true, id };
    }),
  );
}

/**
 * Deactivates or reactivates a unit. Nothing is deleted and its accounts are left as they are:
 * the admin decides about each person separately. The change is recorded with its time
 * (unit_status_changes): a month's league holds the units active at some time in that month.
 */
export async function setUnitActive(db: DB, id: number, active: boolean, actor: AuditActor): Promise<ActiveResult> {
  return db.transaction().execute(async (trx): Promise<ActiveResult> => {
    const current = await trx.selectFrom("units").select(["id", "active", "code"]).where("id", "=", id).executeTakeFirst();
    if (!current) return refusal(404, UNIT_NOT_FOUND);
    const flag = active ? 1 : 0;
    if (current.active === flag) return { ok: true, changed: false };
    const now = new Date().toISOString();
    await trx.updateTable("units").set({ active: flag, updated_at: now }).where("id", "=", id).execute();
    await trx.insertInto("unit_status_changes").values({ unit_id: id, active: flag, changed_at: now }).execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: active ? "unit_reactivated" : "unit_deactivated",
      entityType: "unit", entityId: id, from: active ? "inactive" : "active", to: active ? "active" : "inactive",
      ip: actor.ip, at: now, detail: { code: current.code },
    });
    return { ok: true, changed: true };
  });
}
