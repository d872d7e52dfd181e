// The bureau's review desk: what the queue can be filtered and sorted by, how long an item has
// waited, and the forms a reviewer fills in (decisions, 上稿, 批示, 撤稿). Pure and client-safe,
// so each form's schema serves both the action and the page's error display.
import { z } from "zod";
import { GRADES, INSTRUCTION_LEVELS, TIERS, type ItemStatusCode } from "./catalog";
import { builtOnce, optionalText, parseId, text } from "./fields";
import { refusal, type Refusal } from "./refusal";
import { SEARCH_MAX } from "./search";
import { formatShanghai, isMonth } from "./time";
import { vocabulary } from "./vocabulary";

// ---------------------------------------------------------------------------------------------
// The queue

/** 退回修改 is not a status of its own: a draft that has already reached the bureau once. */
export const QUEUE_STATUSES = vocabulary({
  submitted: "待审核", adopted: "已采用", rejected: "不采用", withdrawn: "已撤稿", returned: "退回修改中", all: "全部",
});
export type QueueStatus = (typeof QUEUE_STATUSES)[number]["code"];

/**
 * Sort keys of the URL. 等待时间 and 报送时间 both order by the latest arrival at the bureau;
 * "longest waiting first" is the oldest arrival first.
 */
export const QUEUE_SORTS = [
  { code: "waiting", name: "等待时间", defaultDir: "desc" },
  { code: "submitted", name: "报送时间", defaultDir: "desc" },
  { code: "unit", name: "单位", defaultDir: "asc" },
  { code: "title", name: "标题", defaultDir: "asc" },
  /** Only with a keyword search (and then the default): best hits first, whatever the direction. */
  { code: "relevance", name: "相关程度", defaultDir: "desc" },
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number]["code"];
export type SortDir = "asc" | "desc";

export interface QueueFilters {
  status: QueueStatus;
  unit: number | null;
  kind: string | null;
  category: number | null;
  month: string | null;
  sort: QueueSort;
  dir: SortDir;
  page: number;
  /** Keywords of the title or body (absent: no search). */
  q?: string;
}

export const DEFAULT_QUEUE_FILTERS: QueueFilters = {
  status: "submitted", unit: null, kind: null, category: null, month: null, sort: "waiting", dir: "desc", page: 1,
};

/** What the database knows, so that a filter naming something that does not exist is dropped. */
export interface QueueChoices {
  /** The unit the `unit` parameter names (an id, or a code or name typed into the unit search box), if one. */
  unitOf: (value: string | null) => number | null;
  kinds: ReadonlySet<string>;
  categoryIds: ReadonlySet<number>;
}

type Params = { get(name: string): string | null };

function positiveInt(value: string | null): number | null {
  return parseId(value?.trim());
}

/** The queue's state from the URL. Every unknown or malformed value falls back to its default. */
export function parseQueueFilters(params: Params, choices: QueueChoices): QueueFilters {
  const status = QUEUE_STATUSES.find((s) => s.code === params.get("status"))?.code ?? DEFAULT_QUEUE_FILTERS.status;
  const kind = params.get("kind");
  const category = positiveInt(params.get("category"));
  const month = params.get("month");
  const q = (params.get("q") ?? "").trim().slice(0, SEARCH_MAX);
  const defaultSort = q ? RELEVANCE : QUEUE_SORTS[0];
  const asked = QUEUE_SORTS.find((s) => s.code === params.get("sort"));
  // Relevance means nothing without a keyword.
  const sortRule = asked && (q || asked.code !== "relevance") ? asked : defaultSort;
  const dirParam = params.get("dir");
  return {
    ...(q ? { q } : {}),
    status,
    unit: choices.unitOf(params.get("unit")),
    kind: kind !== null && choices.kinds.has(kind) ? kind : null,
    category: category !== null && choices.categoryIds.has(category) ? category : null,
    month: month !== null && isMonth(month) ? month : null,
    sort: sortRule.code,
    dir: dirParam === "asc" || dirParam === "desc" ? dirParam : sortRule.defaultDir,
    page: positiveInt(params.get("page")) ?? 1,
  };
}

const RELEVANCE = QUEUE_SORTS.find((s) => s.code === "relevance")!;

/** The URL of a queue view; defaults are left out so links stay short. */
export function queueSearch(filters: QueueFilters, change: Partial<QueueFilters> = {}): string {
  const f = { ...filters, ...change };
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.status !== DEFAULT_QUEUE_FILTERS.status) params.set("status", f.status);
  if (f.unit !== null) params.set("unit", String(f.unit));
  if (f.kind !== null) params.set("kind", f.kind);
  if (f.category !== null) params.set("category", String(f.category));
  if (f.month !== null) params.set("month", f.month);
  const sortRule = QUEUE_SORTS.find((s) => s.code === f.sort)!;
  const defaultSort = f.q ? RELEVANCE.code : DEFAULT_QUEUE_FILTERS.sort;
  if (f.sort !== defaultSort || f.dir !== sortRule.defaultDir) {
    params.set("sort", f.sort);
    params.set("dir", f.dir);
  }
  if (f.page > 1) params.set("page", String(f.page));
  const s = params.toString();
  return s ? `?${s}` : "?";
}

/** Anything is taken as existing: for a view carried along from the queue, where a filter naming nothing just matches nothing. */
const ANY: QueueChoices = {
  unitOf: positiveInt,
  kinds: { has: () => true } as unknown as ReadonlySet<string>,
  categoryIds: { has: () => true } as unknown as ReadonlySet<number>,
};

/**
 * The queue view a reviewer came from (`?from=` on an item's review page), so "next item" stays
 * within it. Only a query string of the queue is accepted, and it is rebuilt from the parsed
 * filters, so nothing else can be carried into a link or a redirect. Null: none, or not a queue view.
 */
export function queueFromParam(from: string | null | undefined): QueueFilters | null {
  if (!from || from.length > 500 || !from.startsWith("?")) return null;
  return { ...parseQueueFilters(new URLSearchParams(from.slice(1)), ANY), page: 1 };
}

/** The `?from=` suffix of an item's review address for a queue view ("" for the default view). */
export function fromSuffix(filters: QueueFilters | null): string {
  if (!filters) return "";
  const search = queueSearch(filters, { page: 1 });
  return search === "?" ? "" : `?from=${encodeURIComponent(search)}`;
}

/** "3 小时", "2 天": how long an item has been in the queue, in whole hours up to two days. */
export function waitedLabel(since: string, now: string): string {
  const hours = Math.max(0, Math.floor((Date.parse(now) - Date.parse(since)) / 3_600_000));
  if (hours < 1) return "不足 1 小时";
  return hours < 48 ? `${hours} 小时` : `${Math.floor(hours / 24)} 天`;
}

// ---------------------------------------------------------------------------------------------
// Decisions and records on one item

export const REVIEW_INTENTS = ["adopt", "return", "reject", "withdraw", "pickup", "instruction"] as const;
export type ReviewIntent = (typeof REVIEW_INTENTS)[number];

export function isReviewIntent(value: string): value is ReviewIntent {
  return (REVIEW_INTENTS as readonly string[]).includes(value);
}

/** 上稿 and 批示 are recorded on adopted items only. */
export function acceptsPickups(status: ItemStatusCode): boolean {
  return status === "adopted";
}

const GRADE_CODES = GRADES.map((g) => g.code) as ["excellent", "good", "fair"];
const TIER_CODES = TIERS.map((t) => t.code) as ["county", "city", "province", "national"];
const LEVEL_CODES = INSTRUCTION_LEVELS.map((l) => l.code) as ["county", "city", "province"];

// Schemas are built on use: a zod call at module level would carry zod into browser bundles.

/** The version of the item the reviewer saw; a page without it is stale. */
export const versionField = () =>
  z
    .string({ error: "页面已过期，请刷新后重试。" })
    .regex(/^\d{1,9}$/, "页面已过期，请刷新后重试。")
    .transform(Number);

export const REASON_MAX = 500;

export const adoptSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    version: versionField(),
    grade: z.enum(GRADE_CODES, { error: "请选择采用等次（优、良、中）" }),
  }),
);

export const returnSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ version: versionField(), reason: text("退回理由", REASON_MAX) }),
);

export const rejectSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ version: versionField(), reason: text("不采用的理由", REASON_MAX) }),
);

export const withdrawSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    version: versionField(),
    reason: text("撤稿理由", REASON_MAX),
    revoke_points: z
      .string()
      .optional()
      .transform((v) => v === "1" || v === "on"),
  }),
);

function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A calendar date no later than today (Asia/Shanghai, given by the caller). */
function pastDate(label: string, today: string) {
  return z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .refine(isRealDate, `${label}格式不正确，应为 年-月-日`)
    .refine((v) => !isRealDate(v) || v <= today, `${label}不能晚于今天`);
}

export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export function pickupSchema(today: string) {
  return z.object({
    outlet: text("刊发媒体", 100),
    tier: z.enum(TIER_CODES, { error: "请选择媒体级别（县区级、市级、省级、国家级）" }),
    picked_on: pastDate("刊发日期", today),
    url: z
      .string()
      .trim()
      .max(500, "链接不能超过 500 个字符")
      .optional()
      .default("")
      .refine((v) => v === "" || isHttpUrl(v), "链接须以 http:// 或 https:// 开头"),
  });
}
export type PickupInput = z.output<ReturnType<typeof pickupSchema>>;

export function instructionSchema(today: string) {
  return z.object({
    level: z.enum(LEVEL_CODES, { error: "请选择批示级别（县区级、市级、省级）" }),
    leader: text("批示领导", 50),
    content: optionalText("批示内容", 1000),
    instructed_on: pastDate("批示日期", today),
  });
}
export type InstructionInput = z.output<ReturnType<typeof instructionSchema>>;

/**
 * A 上稿 or 批示 dated before the event its item reports: nothing is carried or instructed on before
 * it happened. Null when the date is the event's or later, or the item has no event date.
 */
export function recordBeforeEvent(
  record: { kind: "pickup"; input: Pick<PickupInput, "picked_on"> } | { kind: "instruction"; input: Pick<InstructionInput, "instructed_on"> },
  eventDate: string | null,
): Refusal | null {
  const [field, label, on] = record.kind === "pickup"
    ? ["picked_on", "刊发日期", record.input.picked_on]
    : ["instructed_on", "批示日期", record.input.instructed_on];
  if (!eventDate || on >= eventDate) return null;
  return refusal(400, `${label}不能早于稿件的事件日期（${eventDate}），请核对`, { field });
}

/**
 * A 上稿 or 批示 the item already carries word for word (a double click on 登记, a form sent again
 * after a slow answer): refused, so it is not listed twice on the item's page and in its trail.
 * (Its points would not change: each tier or level counts once per item.) `earlierAt`: when the
 * first was recorded.
 */
export function repeatedRecord(kind: "pickup" | "instruction", earlierAt: string): Refusal {
  return refusal(409, `这条${kind === "pickup" ? "上稿" : "批示"}已于 ${formatShanghai(earlierAt)} 登记过，没有重复登记；请刷新页面查看。`);
}

// ---------------------------------------------------------------------------------------------
// Decisions on several items at once, from the queue

/** The most items one bulk decision takes (a few pages of the queue). */
export const BULK_MAX = 100;

export interface BulkPick {
  id: number;
  version: number;
}

/**
 * The ticked rows of the queue: each `id:version`, the version the reviewer saw. A row ticked
 * twice counts once (with the version first seen); a malformed value means a stale or forged page.
 */
export function parseBulkPicks(values: readonly unknown[]): { ok: true; picks: BulkPick[] } | Refusal {
  if (values.length === 0) return refusal(400, "请先勾选要处理的稿件。", { field: "ids" });
  const picks = new Map<number, number>();
  for (const value of values) {
    const match = typeof value === "string" ? /^(\d{1,9}):(\d{1,9})$/.exec(value) : null;
    const id = match ? parseId(match[1]) : null;
    if (!match || id === null) return refusal(400, "所选稿件的信息有误，请刷新页面后重试。", { field: "ids" });
    if (!picks.has(id)) picks.set(id, Number(match[2]));
  }
  if (picks.size > BULK_MAX) return refusal(400, `一次最多处理 ${BULK_MAX} 篇稿件。`, { field: "ids" });
  return { ok: true, picks: [...picks].map(([id, version]) => ({ id, version })) };
}

export const bulkAdoptSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ grade: z.enum(GRADE_CODES, { error: "请选择采用等次（优、良、中）" }) }),
);

export const bulkReturnSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ reason: text("退回理由", REASON_MAX) }),
);
