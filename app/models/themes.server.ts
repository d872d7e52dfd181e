// 报送要点: a month's themes (published, changed and deleted by the bureau, each write audited),
// the themes an item may be tagged with, each theme's coverage (live for an open month, frozen at
// the close for the notice) and the snapshot written inside the month's close.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { refuse, settle, type Refusal } from "~/domain/refusal";
import { reportMonthOnArrival } from "~/domain/report-month";
import {
  taggableThemes, themeCoverage, themeMonthProblem, themeTagProblem, THEME_LIMITS, type CoverageUnit, type NoticeTheme, type ThemeCoverage,
  type ThemeFields,
} from "~/domain/themes";
import { monthLabel, shanghaiMonth } from "~/domain/time";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { closedMonths, unitDirectory, unitsOfMonth } from "~/models/months.server";
import { quotasFor } from "~/models/rules.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database> | Transaction<Database>;

export const THEME_NOT_FOUND = "该报送要点不存在或已被删除。";
const STALE = "该报送要点已在别处被修改，请刷新页面后重试。";

// ---------------------------------------------------------------------------------------------
// Reading

export interface ThemeRow {
  id: number;
  month: string;
  title: string;
  guidance: string;
  categoryId: number | null;
  categoryName: string | null;
  sortOrder: number;
  version: number;
  /** Items tagged with it (any state, any unit). */
  tagged: number;
}

/** A month's themes (`t`) with their categories (`c`), in the order they are listed. */
function monthThemes(db: DB, month: string) {
  return db.selectFrom("themes as t").leftJoin("categories as c", "c.id", "t.category_id").where("t.month", "=", month).orderBy("t.sort_order").orderBy("t.id");
}

/** A month's themes in their order, with their category and how many items carry each. */
export async function themesOfMonth(db: DB, month: string): Promise<ThemeRow[]> {
  const rows = await monthThemes(db, month)
    .select([
      "t.id", "t.month", "t.title", "t.guidance", "t.category_id", "c.name as category_name", "t.sort_order", "t.version",
      (eb) => eb.selectFrom("items").select(eb.fn.countAll<number>().as("n")).whereRef("items.theme_id", "=", "t.id").as("tagged"),
    ])
    .execute();
  return rows.map((r) => ({
    id: r.id, month: r.month, title: r.title, guidance: r.guidance, categoryId: r.category_id, categoryName: r.category_name,
    sortOrder: r.sort_order, version: r.version, tagged: Number(r.tagged ?? 0),
  }));
}

/** The categories a theme may point to. */
export async function activeCategories(db: DB) {
  return db.selectFrom("categories").select(["id", "name"]).where("active", "=", 1).orderBy("sort_order").orderBy("id").execute();
}

export async function getTheme(db: DB, id: number) {
  return db.selectFrom("themes").selectAll().where("id", "=", id).executeTakeFirst();
}

/** What a school's home page shows: the month's themes with their guidance (no one else's numbers). */
type SchoolThemes = { month: string; themes: Array<{ id: number; title: string; guidance: string; categoryName: string | null }> };

const schoolThemes = writeCache<SchoolThemes>({ frozen: true });

/**
 * The month's themes as schools see them (the same for every unit): read from the themes and
 * categories alone (not how many items each has), so kept across the items' writes.
 */
export async function themesForSchool(db: DB, now = new Date()): Promise<SchoolThemes> {
  const month = shanghaiMonth(now);
  return schoolThemes.get(
    db,
    month,
    async () => {
      const rows = await monthThemes(db, month).select(["t.id", "t.title", "t.guidance", "c.name as categoryName"]).execute();
      return { month, themes: rows };
    },
    "none",
  );
}

/**
 * The units a month's coverage is counted against, with their quota that month; `active`: in the
 * month's league by its history (existed by its end and active at some time in it).
 */
async function coverageUnits(db: DB, month: string): Promise<CoverageUnit[]> {
  const [units, quotas] = await Promise.all([unitDirectory(db), quotasFor(db, month)]);
  const inMonth = unitsOfMonth(units, month);
  return units.unitId.map((id, i) => ({ id, name: units.name[i], code: units.code[i], active: inMonth(i), quota: quotas.byUnit.get(id) ?? 0 }));
}

export type ThemeWithCoverage = ThemeRow & { coverage: ThemeCoverage };

/** A month's themes with their coverage counted now from the items. */
export async function liveCoverage(db: DB, month: string): Promise<ThemeWithCoverage[]> {
  const themes = await themesOfMonth(db, month);
  if (themes.length === 0) return [];
  const [units, items] = await Promise.all([
    coverageUnits(db, month),
    db
      .selectFrom("items")
      .select(["unit_id", "theme_id", "status", "points_revoked", "report_month"])
      .where("theme_id", "in", themes.map((t) => t.id))
      .where("report_month", "=", month)
      .execute(),
  ]);
  const facts = items.map((i) => ({
    unitId: i.unit_id, themeId: i.theme_id, status: i.status, pointsRevoked: i.points_revoked === 1, reportMonth: i.report_month,
  }));
  return themes.map((t) => ({ ...t, coverage: themeCoverage(t, facts, units) }));
}

const pageCoverage = writeCache<ThemeWithCoverage[]>({ frozen: true });

/**
 * `liveCoverage` for a page, read once per write that touched the month's items and shared
 * (read-only). Never inside a write: a transaction reads its own uncommitted rows, which the cache
 * does not know of.
 */
export async function liveCoverageForPage(db: DB, month: string): Promise<ThemeWithCoverage[]> {
  // The month's items only: kept across writes to other months.
  return pageCoverage.get(db, month, () => liveCoverage(db, month), { months: [month] });
}

/** Writes each theme's coverage for a close; runs inside the closing transaction. */
export async function snapshotThemes(trx: Transaction<Database>, month: string, closeId: number): Promise<void> {
  const themes = await liveCoverage(trx, month);
  if (themes.length === 0) return;
  await trx
    .insertInto("month_theme_snapshots")
    .values(
      themes.map((t) => ({
        close_id: closeId, theme_id: t.id, title: t.title, sort_order: t.sortOrder, expected: t.coverage.expected,
        covered: t.coverage.covered, reported: t.coverage.reported,
      })),
    )
    .execute();
}

/** A close's frozen theme coverage, in the themes' order, as the notice reads it. */
export async function frozenThemes(db: DB, closeId: number): Promise<NoticeTheme[]> {
  return db
    .selectFrom("month_theme_snapshots")
    .select(["title", "expected", "covered", "reported"])
    .where("close_id", "=", closeId)
    .orderBy("sort_order")
    .orderBy("theme_id")
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Tagging an item

/** The month an item would count in if it reached the bureau now. */
async function countMonthOf(db: DB, reportMonth: string | null, now: Date): Promise<string> {
  return reportMonthOnArrival({ current: reportMonth, arrivedAt: now.toISOString(), closedMonths: await closedMonths(db) });
}

/** The themes an item's form offers: its count month's, and the one it carries. */
export async function themeChoices(db: DB, input: { reportMonth: string | null; themeId: number | null; now?: Date }) {
  const month = await countMonthOf(db, input.reportMonth, input.now ?? new Date());
  const rows = await db
    .selectFrom("themes")
    .select(["id", "month", "title", "guidance"])
    .where((eb) => (input.themeId === null ? eb("month", "=", month) : eb.or([eb("month", "=", month), eb("id", "=", input.themeId)])))
    .orderBy("month")
    .orderBy("sort_order")
    .orderBy("id")
    .execute();
  return { month, themes: taggableThemes(rows, { countMonth: month, currentThemeId: input.themeId }) };
}

/** Refuses (with a field error on theme_id) a tag that is not one of the item's choices. */
export async function checkThemeTag(db: DB, themeId: number | null | undefined, item: { reportMonth: string | null; themeId: number | null }, now: Date) {
  if (themeId === undefined || themeId === null) return;
  const { themes } = await themeChoices(db, { reportMonth: item.reportMonth, themeId: item.themeId, now });
  const problem = themeTagProblem(themeId, themes);
  if (problem) refuse(400, "请按提示修改后再保存。", { fieldErrors: { theme_id: problem } });
}

// ---------------------------------------------------------------------------------------------
// Writing

async function checkMonth(db: DB, month: string, now: Date, field = "month") {
  const problem = themeMonthProblem(month, { currentMonth: shanghaiMonth(now), closedMonths: await closedMonths(db) });
  if (problem) refuse(problem.includes("结算") ? 409 : 400, problem, { field });
}

async function checkCategory(db: DB, categoryId: number | null) {
  if (categoryId === null) return;
  const row = await db.selectFrom("categories").select("id").where("id", "=", categoryId).where("active", "=", 1).executeTakeFirst();
  if (!row) refuse(400, "请选择有效的栏目", { field: "category_id" });
}

async function checkTitleFree(db: DB, month: string, title: string, exceptId?: number) {
  let q = db.selectFrom("themes").select("id").where("month", "=", month).where("title", "=", title);
  if (exceptId !== undefined) q = q.where("id", "!=", exceptId);
  if (await q.executeTakeFirst()) refuse(409, `${monthLabel(month)}已有同名的报送要点“${title}”`, { field: "title" });
}

export type ThemeResult = { ok: true; id: number; title: string; month: string } | Refusal;

export async function createTheme(db: Kysely<Database>, month: string, input: ThemeFields, actor: AuditActor, now = new Date()): Promise<ThemeResult> {
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      await checkMonth(trx, month, now);
      await checkCategory(trx, input.category_id);
      await checkTitleFree(trx, month, input.title);
      const count = await trx.selectFrom("themes").select((eb) => eb.fn.countAll<number>().as("n")).where("month", "=", month).executeTakeFirstOrThrow();
      if (Number(count.n) >= THEME_LIMITS.perMonthMax) refuse(409, `每月最多发布 ${THEME_LIMITS.perMonthMax} 项报送要点`);
      const { id } = await trx
        .insertInto("themes")
        .values({
          month, title: input.title, guidance: input.guidance, category_id: input.category_id, sort_order: input.sort_order,
          created_by: actor.id, created_at: at, updated_by: actor.id, updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "theme_created", entityType: "theme", entityId: id, ip: actor.ip, at,
        detail: { month, title: input.title, guidance: input.guidance, category_id: input.category_id, sort_order: input.sort_order },
      });
      return { ok: true as const, id, title: input.title, month };
    }),
  );
}

/** The theme a reviewer changes or deletes: 404 when there is none, refused when its month may no longer change (`field` names the form field the refusal points at). */
async function themeToChange(trx: DB, id: number, now: Date, field: string) {
  const theme = await getTheme(trx, id);
  if (!theme) refuse(404, THEME_NOT_FOUND);
  await checkMonth(trx, theme.month, now, field);
  return theme;
}

/** Changes a theme's title, guidance, category or place; `expectedVersion` guards against a concurrent edit. */
export async function updateTheme(
  db: Kysely<Database>,
  id: number,
  input: ThemeFields,
  expectedVersion: number | undefined,
  actor: AuditActor,
  now = new Date(),
): Promise<ThemeResult & { changed?: boolean }> {
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      const theme = await themeToChange(trx, id, now, "title");
      if (expectedVersion !== undefined && expectedVersion !== theme.version) refuse(409, STALE);
      await checkCategory(trx, input.category_id);
      await checkTitleFree(trx, theme.month, input.title, id);
      const before = { title: theme.title, guidance: theme.guidance, category_id: theme.category_id, sort_order: theme.sort_order };
      const after = { title: input.title, guidance: input.guidance, category_id: input.category_id, sort_order: input.sort_order };
      const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => before[k] !== after[k]);
      if (changed.length === 0) return { ok: true as const, id, title: theme.title, month: theme.month, changed: false };
      const updated = await trx
        .updateTable("themes")
        .set({ ...after, version: theme.version + 1, updated_by: actor.id, updated_at: at })
        .where("id", "=", id)
        .where("version", "=", theme.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) refuse(409, STALE);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "theme_updated", entityType: "theme", entityId: id, ip: actor.ip, at,
        detail: {
          month: theme.month, version: theme.version + 1,
          changes: Object.fromEntries(changed.map((k) => [k, { before: before[k], after: after[k] }])),
        },
      });
      return { ok: true as const, id, title: input.title, month: theme.month, changed: true };
    }),
  );
}

/** Deletes a theme nobody has tagged an item with yet; otherwise it stays (the tags are history). */
export async function deleteTheme(db: Kysely<Database>, id: number, actor: AuditActor, now = new Date()): Promise<ThemeResult> {
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      const theme = await themeToChange(trx, id, now, "id");
      const tagged = await trx.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("theme_id", "=", id).executeTakeFirstOrThrow();
      if (Number(tagged.n) > 0) {
        refuse(409, `已有 ${Number(tagged.n)} 篇稿件标注了报送要点“${theme.title}”，不能删除；如需调整，请修改标题或说明。`);
      }
      await trx.deleteFrom("themes").where("id", "=", id).execute();
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "theme_deleted", entityType: "theme", entityId: id, ip: actor.ip, at,
        detail: { month: theme.month, title: theme.title, guidance: theme.guidance },
      });
      return { ok: true as const, id, title: theme.title, month: theme.month };
    }),
  );
}
