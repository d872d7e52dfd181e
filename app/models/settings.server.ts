// Settings with history: every change is a row from its effective month on. A "month" setting's
// value for a month is the latest row effective on or before it; a "now" setting's value is its
// latest row (see app/domain/settings.ts for which is which).
import { refusal, type Refusal } from "~/domain/refusal";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { earliestEffectiveMonth, effectiveMonthProblem, versionFor } from "~/domain/rule-versions";
import { changedMeanwhile, settingVersions, versionChangedMeanwhile, withdrawProblem, type SettingVersion } from "~/domain/settings-form";
import {
  bureauNames,
  coerceSetting,
  type BureauNames,
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  settingDef,
  settingText,
  type SettingKey,
  type SettingValue,
  type SettingValues,
} from "~/domain/settings";
import type { CorrectionKindCode } from "~/domain/appeals";
import { LATE_CORRECTION_KINDS, lateMark } from "~/domain/lateness";
import { shanghaiMonth } from "~/domain/time";
import { recordAudit } from "~/models/audit.server";
import { refreshMonth } from "~/models/rollup.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database> | Transaction<Database>;
export type { SettingKey } from "~/domain/settings";

const LATEST = "9999-12";

export async function getSetting<K extends SettingKey>(db: DB, key: K, month = LATEST): Promise<SettingValue<K>> {
  const at = settingDef(key).timing === "now" ? LATEST : month;
  const row = await db
    .selectFrom("settings")
    .select("value_json")
    .where("key", "=", key)
    .where("effective_month", "<=", at)
    .orderBy("effective_month", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? coerceSetting(key, JSON.parse(row.value_json)) : DEFAULT_SETTINGS[key];
}

/**
 * A setting's stored rows as one JSON column of a larger select, so a write transaction that needs
 * it does not spend a statement on it; `settingFromColumn` reads the value from it.
 */
export function settingColumn(key: SettingKey) {
  return sql<string>`(select json_group_array(json_array(effective_month, value_json)) from settings where key = ${key})`;
}

/** The value in force for `month` in a `settingColumn`: what `getSetting` reads. */
export function settingFromColumn<K extends SettingKey>(key: K, column: string, month = LATEST): SettingValue<K> {
  const at = settingDef(key).timing === "now" ? LATEST : month;
  const rows = (JSON.parse(column) as Array<[string, string]>).map(([effectiveMonth, valueJson]) => ({ effectiveMonth, valueJson }));
  const inForce = versionFor(rows, at);
  return inForce ? coerceSetting(key, JSON.parse(inForce.valueJson)) : DEFAULT_SETTINGS[key];
}

/**
 * The settings table as stored, read once per write that changes the figures (settings are among
 * them) and shared: every page reads the county's names from it. A transaction reads it afresh.
 */
const settingRows = writeCache<ReadonlyArray<{ key: string; value_json: string; effective_month: string }>>();

function storedSettings(db: DB) {
  return settingRows.get(
    db,
    "settings",
    () => db.selectFrom("settings").select(["key", "value_json", "effective_month"]).orderBy("effective_month").execute(),
    "none",
  );
}

/** Every setting's value in force for a month (the "now" ones as they stand), in one query. */
export async function settingsFor(db: DB, month = LATEST): Promise<SettingValues> {
  const rows = await storedSettings(db);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (!SETTING_KEYS.includes(r.key as SettingKey)) continue;
    const key = r.key as SettingKey;
    const at = settingDef(key).timing === "now" ? LATEST : month;
    if (r.effective_month <= at) out[key] = coerceSetting(key, JSON.parse(r.value_json));
  }
  return out as SettingValues;
}

/**
 * One setting's stored versions, each in force from its month, oldest first: for a rule that looks
 * at more than the value in force in one month (the register deadline of a year).
 */
export async function storedVersionsOf<K extends SettingKey>(db: DB, key: K): Promise<Array<{ effectiveMonth: string; value: SettingValue<K> }>> {
  const rows = await storedSettings(db);
  return rows.filter((r) => r.key === key).map((r) => ({ effectiveMonth: r.effective_month, value: coerceSetting(key, JSON.parse(r.value_json)) }));
}

export interface SettingHistoryRow {
  key: SettingKey;
  effectiveMonth: string;
  value: unknown;
  updatedAt: string;
  updatedBy: string | null;
}

/** Every stored value of every setting, newest first (the page shows what changed and when). */
export async function settingsHistory(db: DB): Promise<SettingHistoryRow[]> {
  const rows = await db
    .selectFrom("settings")
    .leftJoin("accounts", "accounts.id", "settings.updated_by")
    .select(["settings.key", "settings.value_json", "settings.effective_month", "settings.updated_at", "accounts.display_name"])
    .orderBy("settings.effective_month", "desc")
    .orderBy("settings.id", "desc")
    .execute();
  return rows
    .filter((r) => SETTING_KEYS.includes(r.key as SettingKey))
    .map((r) => ({
      key: r.key as SettingKey, effectiveMonth: r.effective_month, value: JSON.parse(r.value_json), updatedAt: r.updated_at,
      updatedBy: r.display_name ?? null,
    }));
}

/** A setting to save; `shown`: the value in force this month that the person's page showed. */
export type SettingChange = { key: SettingKey; value: number | string | boolean; shown?: number | string | boolean };

export type SaveSettingsResult =
  | { ok: true; changed: SettingKey[]; refreshedMonths: string[] }
  | Refusal;

/**
 * A new lateness threshold from `fromMonth` (always an open month): every item reported in that
 * month or later is marked late or not by the threshold of its report month, and those months'
 * rollups are recomputed, so an open month's late counts and points follow the month's setting.
 * An item whose 迟报 mark a reviewer corrected keeps the mark the correction left.
 * Closed months keep their snapshot whatever is written here.
 */
async function reassessLateness(trx: Transaction<Database>, fromMonth: string): Promise<string[]> {
  const items = await trx
    .selectFrom("items")
    .select(["id", "event_date", "first_submitted_at", "report_month", "late"])
    .where("report_month", ">=", fromMonth)
    .where("first_submitted_at", "is not", null)
    .execute();
  const corrections = await trx
    .selectFrom("corrections")
    .innerJoin("items", "items.id", "corrections.item_id")
    .select(["corrections.item_id", "corrections.kind"])
    .where("items.report_month", ">=", fromMonth)
    .where("corrections.kind", "in", LATE_CORRECTION_KINDS)
    .orderBy("corrections.id")
    .execute();
  const correctionsOf = new Map<number, CorrectionKindCode[]>();
  for (const c of corrections) correctionsOf.set(c.item_id, [...(correctionsOf.get(c.item_id) ?? []), c.kind]);
  const months = [...new Set(items.map((i) => i.report_month!))].sort();
  const thresholds = new Map<string, number>();
  for (const m of months) thresholds.set(m, await getSetting(trx, "lateAfterDays", m));
  for (const i of items) {
    const late = lateMark({
      eventDate: i.event_date, arrivedAt: i.first_submitted_at!, lateAfterDays: thresholds.get(i.report_month!)!,
      corrections: correctionsOf.get(i.id) ?? [],
    }) ? 1 : 0;
    if (late !== i.late) await trx.updateTable("items").set({ late }).where("id", "=", i.id).execute();
  }
  for (const m of months) await refreshMonth(trx, m);
  return months;
}

/**
 * Saves changed values as new rows. "now" settings take effect in the current month's row;
 * "month" settings from `effectiveMonth`, which must come after the latest closed month. A value
 * equal to the one in force writes nothing. A change that says what the page showed (`shown`) is
 * refused (409, nothing saved) when the value in force this month is no longer that: someone saved
 * it meanwhile, and this would undo theirs unseen. One transaction, one audit row per changed setting.
 */
export async function saveSettings(
  db: Kysely<Database>,
  input: { changes: SettingChange[]; effectiveMonth: string | null; actor: { id: number; username: string }; ip?: string; now?: Date },
): Promise<SaveSettingsResult> {
  const now = input.now ?? new Date();
  const currentMonth = shanghaiMonth(now);
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const monthChanges = input.changes.filter((c) => settingDef(c.key).timing === "month");
    let effective = currentMonth;
    if (monthChanges.length > 0) {
      const latest = await trx
        .selectFrom("month_closes")
        .select((eb) => eb.fn.max("month").as("m"))
        .where("reopened_at", "is", null)
        .executeTakeFirst();
      const month = input.effectiveMonth ?? "";
      const problem = effectiveMonthProblem({ month, latestClosed: (latest?.m as string | null) ?? null, currentMonth });
      if (problem) return refusal(400, problem, { field: "effective_month" });
      effective = month;
    }
    const meanwhile: Record<string, string> = {};
    for (const c of input.changes) {
      if (c.shown === undefined) continue;
      const now = await getSetting(trx, c.key, settingDef(c.key).timing === "month" ? currentMonth : LATEST);
      if (now !== c.shown) meanwhile[c.key] = changedMeanwhile(c.key, now, c.shown);
    }
    const clashes = Object.values(meanwhile);
    if (clashes.length > 0) {
      return refusal(409, clashes.length === 1 ? clashes[0] : `有 ${clashes.length} 项设置已被他人修改，这次没有保存；请刷新页面后再改。`, { fieldErrors: meanwhile });
    }
    const changed: SettingKey[] = [];
    for (const c of input.changes) {
      const def = settingDef(c.key);
      const month = def.timing === "month" ? effective : currentMonth;
      const before = await getSetting(trx, c.key, def.timing === "month" ? month : LATEST);
      if (before === c.value) continue;
      const existing = await trx.selectFrom("settings").select("id").where("key", "=", c.key).where("effective_month", "=", month).executeTakeFirst();
      if (existing) {
        await trx.updateTable("settings").set({ value_json: JSON.stringify(c.value), updated_by: input.actor.id, updated_at: at }).where("id", "=", existing.id).execute();
      } else {
        await trx
          .insertInto("settings")
          .values({ key: c.key, value_json: JSON.stringify(c.value), effective_month: month, updated_by: input.actor.id, updated_at: at })
          .execute();
      }
      await recordAudit(trx, {
        actorId: input.actor.id, actorName: input.actor.username, action: "setting_changed", entityType: "setting", entityId: c.key,
        from: settingText(c.key, before), to: settingText(c.key, c.value), ip: input.ip, at,
        detail: { effectiveMonth: def.timing === "month" ? month : null, label: def.label },
      });
      changed.push(c.key);
    }
    const refreshedMonths = changed.includes("lateAfterDays") ? await reassessLateness(trx, effective) : [];
    return { ok: true as const, changed, refreshedMonths };
  });
}

export type WithdrawSettingResult = { ok: true; withdrawn: boolean; valueFrom: unknown } | Refusal;

/**
 * Withdraws (撤回) a "month" setting's version that begins after this month: its row goes, and the
 * months it would have governed keep the value before it (`valueFrom`). Refused when it governs this
 * month or earlier (withdrawProblem), or when its value is no longer the one the page showed
 * (`shown`: 409, someone changed it meanwhile). A version already gone is no change. One
 * transaction, one audit row.
 */
export async function withdrawSettingVersion(
  db: Kysely<Database>,
  input: { key: SettingKey; effectiveMonth: string; shown: number | string | boolean; actor: { id: number; username: string }; ip?: string; now?: Date },
): Promise<WithdrawSettingResult> {
  const now = input.now ?? new Date();
  const { key, effectiveMonth } = input;
  const problem = withdrawProblem(key, effectiveMonth, shanghaiMonth(now));
  if (problem) return refusal(409, problem);
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("settings").select(["id", "value_json"]).where("key", "=", key).where("effective_month", "=", effectiveMonth).executeTakeFirst();
    if (!row) return { ok: true as const, withdrawn: false, valueFrom: await getSetting(trx, key, effectiveMonth) };
    const value = coerceSetting(key, JSON.parse(row.value_json));
    if (value !== input.shown) return refusal(409, versionChangedMeanwhile(key, effectiveMonth, value, input.shown));
    await trx.deleteFrom("settings").where("id", "=", row.id).execute();
    const valueFrom = await getSetting(trx, key, effectiveMonth);
    const def = settingDef(key);
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "setting_changed", entityType: "setting", entityId: key,
      from: settingText(key, value), to: settingText(key, valueFrom), ip: input.ip, at: now.toISOString(),
      detail: { effectiveMonth, label: def.label, withdrawn: true },
    });
    // Nothing is reported in a month still to come; should anything be, its lateness follows the value now in force.
    if (key === "lateAfterDays") await reassessLateness(trx, effectiveMonth);
    return { ok: true as const, withdrawn: true, valueFrom };
  });
}

/**
 * What the settings page shows: each setting's value this month, every "month" setting's versions,
 * and the months a new version may start from.
 */
export async function settingsOverview(db: DB, now = new Date()) {
  const currentMonth = shanghaiMonth(now);
  const [values, history, latest] = await Promise.all([
    settingsFor(db, currentMonth),
    settingsHistory(db),
    db.selectFrom("month_closes").select((eb) => eb.fn.max("month").as("m")).where("reopened_at", "is", null).executeTakeFirst(),
  ]);
  const latestClosed = (latest?.m as string | null) ?? null;
  const earliest = earliestEffectiveMonth(latestClosed);
  const versions = Object.fromEntries(
    SETTING_KEYS.filter((k) => settingDef(k).timing === "month").map((k) => [k, settingVersions(history.filter((h) => h.key === k), currentMonth)]),
  ) as Partial<Record<SettingKey, SettingVersion[]>>;
  return {
    values,
    versions,
    currentMonth,
    latestClosed,
    earliest,
    // The first month a change may still reach (every month after the latest closed one is open);
    // with nothing closed yet, this month.
    defaultEffectiveMonth: earliest ?? currentMonth,
  };
}

/** The names every page shows, as they stand now (one query: the root loader runs on every request). */
export async function currentBureauNames(db: DB): Promise<BureauNames> {
  return bureauNames(await settingsFor(db));
}
