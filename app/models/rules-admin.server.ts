// The admin's rules: points rule versions, quota versions per unit kind, and per-unit quota
// overrides, each effective from a month. Every change is one transaction with one audit row;
// nothing may take effect in or before the latest closed month (checked inside the transaction,
// so a month closed a moment earlier is respected). A points change recomputes, in the same
// transaction, the rollups of every month it governs that has items. The three kinds share the
// closed-month check, the editable-row lookup and the audit shape.
import { refuse, settle, type Refusal } from "~/domain/refusal";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { parsePointsRules, type PointsRules } from "~/domain/catalog";
import {
  earliestEffectiveMonth, effectiveMonthProblem, governedRanges, isEditable, NOT_EDITABLE_MESSAGE,
  sameMonthMessage, sameOverrideMessage, suggestedEffectiveMonth, VERSION_CHANGED_MEANWHILE, versionFor, versionName, versionSeen,
} from "~/domain/rule-versions";
import { changedPoints, pointsValuesOf } from "~/domain/rules-policy";
import { shanghaiMonth } from "~/domain/time";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { itemMonths, refreshMonth, requestMonths } from "~/models/rollup.server";
import { pointsRulesFor, quotaFor, quotasFor } from "~/models/rules.server";

type DB = Kysely<Database> | Transaction<Database>;

export type RulesResult =
  | { ok: true; id: number; changed: boolean; refreshedMonths: string[] }
  | Refusal;

/** Runs one change in one transaction, a refusal thrown inside answered as the result; `at` is `now` as stored. */
async function inTransaction(
  db: Kysely<Database>,
  now: Date,
  work: (trx: Transaction<Database>, at: string) => Promise<RulesResult>,
): Promise<RulesResult> {
  const at = now.toISOString();
  return settle(() => db.transaction().execute((trx) => work(trx, at)));
}

/** The latest month whose close is in force (not reopened), or null. */
export async function latestClosedMonth(db: DB): Promise<string | null> {
  const row = await db
    .selectFrom("month_closes")
    .select((eb) => eb.fn.max("month").as("month"))
    .where("reopened_at", "is", null)
    .executeTakeFirst();
  return row?.month ?? null;
}

async function requireOpenEffectiveMonth(trx: DB, month: string, now: Date): Promise<void> {
  const problem = effectiveMonthProblem({ month, latestClosed: await latestClosedMonth(trx), currentMonth: shanghaiMonth(now) });
  if (problem) refuse(409, problem, { field: "effective_month" });
}

/** A new points or quota version: its month must be open, and no other version of the kind may start then. */
async function requireNewVersionMonth(trx: DB, kind: "points" | "quota", month: string, now: Date): Promise<void> {
  await requireOpenEffectiveMonth(trx, month, now);
  const table = kind === "points" ? "points_rule_versions" : "quota_rule_versions";
  const same = await trx.selectFrom(table).select("id").where("effective_month", "=", month).executeTakeFirst();
  if (same) refuse(409, sameMonthMessage(kind, month), { field: "effective_month" });
}

type VersionTable = "points_rule_versions" | "quota_rule_versions" | "unit_quota_overrides";

/** The row to change: refused with `missing` (404) when absent, and (409) when a closed month governs it. */
async function editableRow<T extends VersionTable>(trx: DB, table: T, id: number, missing: string): Promise<Selectable<Database[T]>> {
  const row = await trx.selectFrom(table as VersionTable).selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) refuse(404, missing);
  if (!isEditable(row.effective_month, await latestClosedMonth(trx))) refuse(409, NOT_EDITABLE_MESSAGE);
  return row as Selectable<Database[T]>;
}

/**
 * Changes the version row `id` of `table` in one transaction: refused when absent or governed by a
 * closed month; `work` returns the months it recomputed, or null when nothing changed.
 */
async function editVersion<T extends VersionTable>(
  db: Kysely<Database>, table: T, id: number, missing: string, now: Date,
  work: (trx: Transaction<Database>, at: string, row: Selectable<Database[T]>) => Promise<string[] | null>,
): Promise<RulesResult> {
  return inTransaction(db, now, async (trx, at) => {
    const refreshedMonths = await work(trx, at, await editableRow(trx, table, id, missing));
    return refreshedMonths ? { ok: true, id, changed: true, refreshedMonths } : { ok: true, id, changed: false, refreshedMonths: [] };
  });
}

/** Recomputes the rollup of every month from `month` on that has items or 约稿; returns those months. */
async function refreshFrom(trx: Transaction<Database>, month: string): Promise<string[]> {
  const months = [...new Set([...(await itemMonths(trx, { from: month })), ...(await requestMonths(trx, { from: month }))])].sort();
  for (const m of months) await refreshMonth(trx, m);
  return months;
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function rulesOverview(db: DB, now = new Date()) {
  const currentMonth = shanghaiMonth(now);
  const [latestClosed, pointsRows, quotaRows, quotaRules, kinds, overrides, closes, units] = await Promise.all([
    latestClosedMonth(db),
    db
      .selectFrom("points_rule_versions as v")
      .leftJoin("accounts as a", "a.id", "v.created_by")
      .select(["v.id", "v.effective_month", "v.rules_json", "v.note", "v.created_at", "a.display_name as created_by_name"])
      .execute(),
    db
      .selectFrom("quota_rule_versions as v")
      .leftJoin("accounts as a", "a.id", "v.created_by")
      .select(["v.id", "v.effective_month", "v.note", "v.created_at", "a.display_name as created_by_name"])
      .execute(),
    db.selectFrom("quota_rules").select(["version_id", "kind_code", "quota"]).execute(),
    db.selectFrom("unit_kinds").select(["code", "name"]).orderBy("sort_order").orderBy("code").execute(),
    db
      .selectFrom("unit_quota_overrides as o")
      .innerJoin("units as u", "u.id", "o.unit_id")
      .innerJoin("unit_kinds as k", "k.code", "u.kind_code")
      .leftJoin("accounts as a", "a.id", "o.created_by")
      .select([
        "o.id", "o.unit_id", "o.effective_month", "o.quota", "o.reason", "o.created_at", "u.code as unit_code", "u.name as unit_name",
        "u.kind_code", "k.name as kind_name", "a.display_name as created_by_name",
      ])
      .orderBy("o.effective_month", "desc")
      .orderBy("u.code")
      .execute(),
    db.selectFrom("month_closes").select(["month", "points_version_id", "quota_version_id"]).where("reopened_at", "is", null).orderBy("month").execute(),
    db
      .selectFrom("units as u")
      .innerJoin("unit_kinds as k", "k.code", "u.kind_code")
      .select(["u.id", "u.code", "u.name", "u.kind_code", "k.name as kind_name"])
      .where("u.active", "=", 1)
      .orderBy("k.sort_order")
      .orderBy("u.code")
      .execute(),
  ]);

  /** What a points or quota version shows besides its values. */
  const versionOf = (
    v: { id: number; effectiveMonth: string; until: string | null; note: string; created_by_name: string | null; created_at: string },
    i: number,
    key: "points_version_id" | "quota_version_id",
  ) => ({
    id: v.id, effectiveMonth: v.effectiveMonth, until: v.until, name: versionName(v.effectiveMonth, i === 0), note: v.note,
    createdBy: v.created_by_name, createdAt: v.created_at,
    closedMonths: closes.filter((c) => c[key] === v.id).map((c) => c.month),
    editable: isEditable(v.effectiveMonth, latestClosed),
  });

  const points = governedRanges(pointsRows.map((r) => ({ ...r, effectiveMonth: r.effective_month }))).map((v, i) => {
    const values = pointsValuesOf(parsePointsRules(v.rules_json));
    return { ...versionOf(v, i, "points_version_id"), values, seen: versionSeen(values, v.note) };
  });

  const quotas = governedRanges(quotaRows.map((r) => ({ ...r, effectiveMonth: r.effective_month }))).map((v, i) => {
    const stored = Object.fromEntries(quotaRules.filter((q) => q.version_id === v.id).map((q) => [q.kind_code, q.quota]));
    return {
      ...versionOf(v, i, "quota_version_id"),
      quotas: Object.fromEntries(kinds.map((k) => [k.code, stored[k.code] ?? 0])),
      seen: versionSeen(stored, v.note),
    };
  });

  const kindQuotaAt = (kind: string, month: string) => {
    const v = versionFor(quotas, month);
    return v ? (v.quotas[kind] ?? 0) : 0;
  };

  return {
    currentMonth,
    latestClosed,
    earliest: earliestEffectiveMonth(latestClosed),
    suggested: suggestedEffectiveMonth({ latestClosed, currentMonth }),
    kinds,
    units,
    points: { versions: points, inForceId: versionFor(points, currentMonth)?.id ?? null },
    quotas: { versions: quotas, inForceId: versionFor(quotas, currentMonth)?.id ?? null },
    overrides: overrides.map((o) => ({
      id: o.id,
      unitId: o.unit_id,
      unitCode: o.unit_code,
      unitName: o.unit_name,
      kindName: o.kind_name,
      effectiveMonth: o.effective_month,
      quota: o.quota,
      kindQuota: kindQuotaAt(o.kind_code, o.effective_month),
      reason: o.reason,
      seen: versionSeen({ quota: o.quota }, o.reason),
      createdBy: o.created_by_name,
      createdAt: o.created_at,
      editable: isEditable(o.effective_month, latestClosed),
    })),
  };
}

export type RulesOverview = Awaited<ReturnType<typeof rulesOverview>>;

// ---------------------------------------------------------------------------------------------
// Points rule versions

export async function createPointsVersion(db: Kysely<Database>, input: { effectiveMonth: string; note: string; rules: PointsRules }, actor: AuditActor, now = new Date()) {
  return inTransaction(db, now, async (trx, at) => {
    await requireNewVersionMonth(trx, "points", input.effectiveMonth, now);
    const previous = await pointsRulesFor(trx, input.effectiveMonth);
    const { id } = await trx
      .insertInto("points_rule_versions")
      .values({ effective_month: input.effectiveMonth, rules_json: JSON.stringify(input.rules), note: input.note, created_by: actor.id, created_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    const refreshedMonths = await refreshFrom(trx, input.effectiveMonth);
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "rules_points_version_created", entityType: "points_rule_version", entityId: id,
      ip: actor.ip, at, reason: input.note,
      detail: { effectiveMonth: input.effectiveMonth, rules: input.rules, changed: changedPoints(previous.rules, input.rules), refreshedMonths },
    });
    return { ok: true, id, changed: true, refreshedMonths };
  });
}

/** `seen`: what the edit form showed of the row (versionSeen); a row changed since is refused, nothing written. */
function requireUnchanged(seen: string | undefined, now: string): void {
  if (seen !== undefined && seen !== now) refuse(409, VERSION_CHANGED_MEANWHILE);
}

export async function updatePointsVersion(
  db: Kysely<Database>, id: number, input: { note: string; rules: PointsRules; seen?: string }, actor: AuditActor, now = new Date(),
) {
  return editVersion(db, "points_rule_versions", id, "该积分规则版本不存在。", now, async (trx, at, row) => {
    requireUnchanged(input.seen, versionSeen(pointsValuesOf(parsePointsRules(row.rules_json)), row.note));
    const changed = changedPoints(parsePointsRules(row.rules_json), input.rules);
    if (changed.length === 0 && row.note === input.note) return null;
    await trx.updateTable("points_rule_versions").set({ rules_json: JSON.stringify(input.rules), note: input.note }).where("id", "=", id).execute();
    const refreshedMonths = changed.length > 0 ? await refreshFrom(trx, row.effective_month) : [];
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "rules_points_version_updated", entityType: "points_rule_version", entityId: id,
      ip: actor.ip, at, reason: input.note, detail: { effectiveMonth: row.effective_month, changed, refreshedMonths },
    });
    return refreshedMonths;
  });
}

// ---------------------------------------------------------------------------------------------
// Quota versions

async function requireKnownKinds(trx: DB, quotas: Record<string, number>): Promise<void> {
  const kinds = await trx.selectFrom("unit_kinds").select("code").execute();
  const missing = kinds.filter((k) => quotas[k.code] === undefined);
  if (missing.length > 0 || Object.keys(quotas).some((code) => !kinds.some((k) => k.code === code))) {
    refuse(400, "单位类别已有变动，请刷新页面后重新填写。");
  }
}

export async function createQuotaVersion(db: Kysely<Database>, input: { effectiveMonth: string; note: string; quotas: Record<string, number> }, actor: AuditActor, now = new Date()) {
  return inTransaction(db, now, async (trx, at) => {
    await requireKnownKinds(trx, input.quotas);
    await requireNewVersionMonth(trx, "quota", input.effectiveMonth, now);
    const previous = await quotasFor(trx, input.effectiveMonth);
    const { id } = await trx
      .insertInto("quota_rule_versions")
      .values({ effective_month: input.effectiveMonth, note: input.note, created_by: actor.id, created_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("quota_rules")
      .values(Object.entries(input.quotas).map(([kind_code, quota]) => ({ version_id: id, kind_code, quota })))
      .execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "rules_quota_version_created", entityType: "quota_rule_version", entityId: id,
      ip: actor.ip, at, reason: input.note,
      detail: { effectiveMonth: input.effectiveMonth, quotas: input.quotas, previous: Object.fromEntries(previous.byKind) },
    });
    return { ok: true, id, changed: true, refreshedMonths: [] };
  });
}

export async function updateQuotaVersion(
  db: Kysely<Database>, id: number, input: { note: string; quotas: Record<string, number>; seen?: string }, actor: AuditActor, now = new Date(),
) {
  return editVersion(db, "quota_rule_versions", id, "该任务数版本不存在。", now, async (trx, at, row) => {
    await requireKnownKinds(trx, input.quotas);
    const current = await trx.selectFrom("quota_rules").select(["kind_code", "quota"]).where("version_id", "=", id).execute();
    const before = Object.fromEntries(current.map((r) => [r.kind_code, r.quota]));
    requireUnchanged(input.seen, versionSeen(before, row.note));
    const changed = Object.entries(input.quotas).filter(([kind, quota]) => before[kind] !== quota);
    if (changed.length === 0 && row.note === input.note) return null;
    await trx.updateTable("quota_rule_versions").set({ note: input.note }).where("id", "=", id).execute();
    for (const [kind_code, quota] of changed) {
      await trx
        .insertInto("quota_rules")
        .values({ version_id: id, kind_code, quota })
        .onConflict((oc) => oc.columns(["version_id", "kind_code"]).doUpdateSet({ quota }))
        .execute();
    }
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "rules_quota_version_updated", entityType: "quota_rule_version", entityId: id,
      ip: actor.ip, at, reason: input.note, detail: { effectiveMonth: row.effective_month, before, after: input.quotas },
    });
    return [];
  });
}

// ---------------------------------------------------------------------------------------------
// Per-unit overrides

export async function setQuotaOverride(
  db: Kysely<Database>,
  input: { unitId: number; effectiveMonth: string; quota: number; reason: string },
  actor: AuditActor,
  now = new Date(),
): Promise<RulesResult> {
  return inTransaction(db, now, async (trx, at) => {
    const unit = await trx.selectFrom("units").select(["id", "name", "active"]).where("id", "=", input.unitId).executeTakeFirst();
    if (!unit || unit.active !== 1) refuse(400, "请选择一个启用中的单位", { field: "unit_id" });
    await requireOpenEffectiveMonth(trx, input.effectiveMonth, now);
    const same = await trx
      .selectFrom("unit_quota_overrides")
      .select("id")
      .where("unit_id", "=", input.unitId)
      .where("effective_month", "=", input.effectiveMonth)
      .executeTakeFirst();
    if (same) refuse(409, sameOverrideMessage(unit.name, input.effectiveMonth), { field: "effective_month" });
    const previous = await quotaFor(trx, input.unitId, input.effectiveMonth);
    const { id } = await trx
      .insertInto("unit_quota_overrides")
      .values({
        unit_id: input.unitId, effective_month: input.effectiveMonth, quota: input.quota, reason: input.reason, created_by: actor.id, created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "quota_override_set", entityType: "unit", entityId: input.unitId,
      from: String(previous), to: String(input.quota), reason: input.reason, ip: actor.ip, at,
      detail: { overrideId: id, effectiveMonth: input.effectiveMonth },
    });
    return { ok: true, id, changed: true, refreshedMonths: [] };
  });
}

export async function updateQuotaOverride(
  db: Kysely<Database>, id: number, input: { quota: number; reason: string; seen?: string }, actor: AuditActor, now = new Date(),
) {
  return editVersion(db, "unit_quota_overrides", id, "该例外任务数不存在。", now, async (trx, at, row) => {
    requireUnchanged(input.seen, versionSeen({ quota: row.quota }, row.reason));
    if (row.quota === input.quota && row.reason === input.reason) return null;
    await trx.updateTable("unit_quota_overrides").set({ quota: input.quota, reason: input.reason }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "quota_override_updated", entityType: "unit", entityId: row.unit_id,
      from: String(row.quota), to: String(input.quota), reason: input.reason, ip: actor.ip, at,
      detail: { overrideId: id, effectiveMonth: row.effective_month },
    });
    return [];
  });
}

