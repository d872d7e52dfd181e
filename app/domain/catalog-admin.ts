// The bureau's own lists of categories (栏目) and channels (投送频道): how a name is written and
// compared, and when a change is refused. Items point at these rows by id, so a row that any item
// uses is never deleted (deactivating hides it from the item form and keeps every old item's name),
// and the item form must always offer at least one of each.
import { z } from "zod";

export type CatalogKind = "category" | "channel";

export const CATALOG_KINDS: readonly CatalogKind[] = ["category", "channel"];

export const CATALOG_NAMES: Record<CatalogKind, string> = { category: "栏目", channel: "投送频道" };

export const CATALOG_NAME_MAX = 20;

export function isCatalogKind(value: unknown): value is CatalogKind {
  return value === "category" || value === "channel";
}

/**
 * A name as it is stored: full-width letters and digits folded (NFKC), ends trimmed, runs of
 * spaces made one, so "教育网 " and "教育网" cannot both be added by a slip of the keyboard.
 */
export function normalizeCatalogName(raw: string): string {
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ");
}

/** What two names are compared by: the stored form, letters in one case. */
export function catalogNameKey(raw: string): string {
  return normalizeCatalogName(raw).toLowerCase();
}

/** Why a typed name cannot be used (before looking at the others), or null. */
export function catalogNameProblem(kind: CatalogKind, raw: string): string | null {
  const label = CATALOG_NAMES[kind];
  const name = normalizeCatalogName(raw);
  if (!name) return `请填写${label}名称`;
  if ([...name].length > CATALOG_NAME_MAX) return `${label}名称不能超过 ${CATALOG_NAME_MAX} 个字`;
  if (/[\u0000-\u001f\u007f<>]/.test(name)) return `${label}名称含有不能使用的字符`;
  return null;
}

/** The other row already using this name (compared by {@link catalogNameKey}), if any. */
export function sameNameAs<T extends { id: number; name: string }>(rows: readonly T[], name: string, exceptId?: number): T | undefined {
  const key = catalogNameKey(name);
  return rows.find((r) => r.id !== exceptId && catalogNameKey(r.name) === key);
}

export function duplicateNameMessage(kind: CatalogKind, existing: { name: string; active: boolean }): string {
  const label = CATALOG_NAMES[kind];
  return existing.active ? `已有名为“${existing.name}”的${label}` : `已有名为“${existing.name}”的${label}（已停用），可直接重新启用它`;
}

/** Deactivating the last active one would leave the item form with nothing to choose. */
export function deactivationProblem(kind: CatalogKind, activeCount: number): string | null {
  return activeCount <= 1 ? `至少要保留一个启用的${CATALOG_NAMES[kind]}，否则信息员无法选择。请先添加或启用另一个，再停用它` : null;
}

/** A row that items use is kept (they show its name); it can only be deactivated. */
export function deletionProblem(kind: CatalogKind, name: string, itemCount: number): string | null {
  if (itemCount <= 0) return null;
  return `“${name}”已被 ${itemCount} 篇稿件使用，不能删除；如不再使用，请停用它（已有稿件仍显示原名称）`;
}

/**
 * The order after moving one row up or down a place, as ids in their new order; null when it is
 * already at that end (or not in the list).
 */
export function movedOrder(ids: readonly number[], id: number, direction: "up" | "down"): number[] | null {
  const at = ids.indexOf(id);
  const to = direction === "up" ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= ids.length) return null;
  const next = [...ids];
  [next[at], next[to]] = [next[to], next[at]];
  return next;
}

// ---------------------------------------------------------------------------------------------
// Forms

// Field builders are functions: a zod call at module level would ship zod to the browser.
const kindField = () => z.string({ error: "请选择栏目或投送频道" }).refine(isCatalogKind, "请选择栏目或投送频道");

const idField = () =>
  z
    .string({ error: "请选择要修改的项目" })
    .refine((v) => /^\d{1,9}$/.test(v) && Number(v) > 0, "请选择要修改的项目")
    .transform(Number);

const nameField = () => z.string({ error: "请填写名称" });

function checkName(v: { kind: string; name: string }, ctx: z.RefinementCtx) {
  const problem = isCatalogKind(v.kind) ? catalogNameProblem(v.kind, v.name) : null;
  if (problem) ctx.addIssue({ code: "custom", path: ["name"], message: problem });
}

export const catalogAddSchema = () =>
  z
    .object({ kind: kindField(), name: nameField() })
    .superRefine(checkName)
    .transform((v) => ({ kind: v.kind as CatalogKind, name: normalizeCatalogName(v.name) }));

export const catalogRenameSchema = () =>
  z
    .object({ kind: kindField(), id: idField(), name: nameField() })
    .superRefine(checkName)
    .transform((v) => ({ kind: v.kind as CatalogKind, id: v.id, name: normalizeCatalogName(v.name) }));

export const catalogRowSchema = () =>
  z.object({ kind: kindField(), id: idField() }).transform((v) => ({ kind: v.kind as CatalogKind, id: v.id }));

export const catalogMoveSchema = () =>
  z
    .object({ kind: kindField(), id: idField(), direction: z.enum(["up", "down"], { error: "请选择上移或下移" }) })
    .transform((v) => ({ kind: v.kind as CatalogKind, id: v.id, direction: v.direction }));
