// The public news pages (信息公开): adopted items only. Every query here selects its columns
// one by one, so nothing that is not public (grades, reasons, reviewers, points, accounts'
// ids) can reach an anonymous visitor by accident.
import { sql, type Kysely } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { excerptSegments, markTerms, type SearchPlan } from "~/domain/search";
import { orderByRelevance, withSearch } from "~/models/search.server";
import { pageCount } from "~/models/units.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database>;

export const NEWS_PAGE_SIZE = 15;
const EXCERPT_CHARS = 80;

export interface NewsFilters {
  categoryId?: number;
  channelId?: number;
  unitId?: number;
  /** The month the item was reported for ("YYYY-MM"). */
  month?: string;
  /** Words of the title or body (adopted items only, like everything here); best hits first. */
  search?: SearchPlan | null;
  page: number;
}

/** The first line's worth of a body: whitespace collapsed, cut at a character boundary. */
export function excerptOf(body: string, max = EXCERPT_CHARS): string {
  const flat = body.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : flat;
}

type NewsList = Awaited<ReturnType<typeof readNews>>;

/**
 * A list page without a search is the same for every visitor until the next write that touches an
 * item in a report month (only adopted items, only public columns): kept per filters and page,
 * shared and frozen.
 */
const newsPages = writeCache<NewsList>({ frozen: true });

export async function listNews(db: DB, filters: NewsFilters): Promise<NewsList> {
  if (filters.search) return readNews(db, filters);
  const { categoryId, channelId, unitId, month, page } = filters;
  // Adopted items (always in a report month) and their photos: a submission waiting for its lead's sign-off keeps them.
  return newsPages.get(db, JSON.stringify([categoryId, channelId, unitId, month, page]), () => readNews(db, filters), "in-a-month");
}

async function readNews(db: DB, filters: NewsFilters) {
  // An item's unit and category are required references (not null, foreign keys on): joining them
  // drops no item, so the count reads the items alone (from an index when nothing else narrows).
  let count = db.selectFrom("items").where("items.status", "=", "adopted");
  let query = db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .innerJoin("categories", "categories.id", "items.category_id")
    .where("items.status", "=", "adopted");
  const narrowing: Array<[string, number | string | undefined]> = [
    ["items.category_id", filters.categoryId], ["items.unit_id", filters.unitId], ["items.channel_id", filters.channelId], ["items.report_month", filters.month],
  ];
  for (const [column, value] of narrowing) {
    if (!value) continue;
    query = query.where(sql.ref(column), "=", value);
    count = count.where(sql.ref(column), "=", value);
  }
  const plan = filters.search ?? null;
  query = withSearch(query, plan);
  count = withSearch(count, plan);
  const [rows, total] = await Promise.all([
    (plan ? orderByRelevance(query, plan) : query)
      .select((eb) => [
        "items.id", "items.title", "items.decided_at", "units.name as unit_name", "categories.name as category",
        // Enough of the body for a one-line excerpt, without reading whole bodies.
        // A search marks its hits anywhere in the body, so it reads the whole body of the page's items.
        plan ? sql<string>`${sql.ref("items.body")}`.as("body_start") : sql<string>`substr(${sql.ref("items.body")}, 1, ${EXCERPT_CHARS * 2})`.as("body_start"),
        eb
          .selectFrom("photos")
          .select("photos.id")
          .whereRef("photos.item_id", "=", "items.id")
          .orderBy("photos.sort_order")
          .orderBy("photos.id")
          .limit(1)
          .as("photo_id"),
      ])
      .orderBy("items.decided_at", "desc")
      .orderBy("items.id", "desc")
      .limit(NEWS_PAGE_SIZE)
      .offset((filters.page - 1) * NEWS_PAGE_SIZE)
      .execute(),
    count.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  const n = Number(total.n);
  return {
    rows: rows.map(({ body_start, decided_at, ...row }) => ({
      ...row,
      adopted_at: decided_at ?? "",
      excerpt: excerptOf(body_start ?? ""),
      // With a search: the title and an excerpt around the first hit, cut into plain and hit segments.
      marks: plan
        ? { title: markTerms(row.title, plan.terms), excerpt: excerptSegments(body_start ?? "", plan.terms, EXCERPT_CHARS) }
        : undefined,
    })),
    total: n,
    pages: pageCount(n, NEWS_PAGE_SIZE),
  };
}

type NewsOptions = Awaited<ReturnType<typeof readFilterOptions>>;

const filterOptions = writeCache<NewsOptions>({ frozen: true });

/** Filter choices: every category and channel, the units that have something published, and its months. */
export async function newsFilterOptions(db: DB): Promise<NewsOptions> {
  return filterOptions.get(db, "options", () => readFilterOptions(db), "in-a-month");
}

const categoryOptions = preparedQuery((db: DB) => db.selectFrom("categories").select(["id", "name"]).orderBy("sort_order").orderBy("id"));
const channelOptions = preparedQuery((db: DB) => db.selectFrom("channels").select(["id", "name"]).orderBy("sort_order").orderBy("id"));
const publishingUnits = preparedQuery((db: DB) =>
  db
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .select(["units.id", "units.name"])
    .where((eb) =>
      eb.exists(eb.selectFrom("items").select("items.id").whereRef("items.unit_id", "=", "units.id").where("items.status", "=", "adopted")),
    )
    .orderBy("unit_kinds.sort_order")
    .orderBy("units.code"),
);
const publishedMonths = preparedQuery((db: DB) =>
  db
    .selectFrom("items")
    .select("report_month as month")
    .distinct()
    // Not by the status index: the months come in order from the month index, which holds the status too.
    .where(sql<string>`+${sql.ref("status")}`, "=", "adopted")
    .where("report_month", "is not", null)
    .orderBy("report_month", "desc"),
);

async function readFilterOptions(db: DB) {
  const [categories, channels, units, months] = await Promise.all([categoryOptions(db), channelOptions(db), publishingUnits(db), publishedMonths(db)]);
  return { categories, channels, units, months: months.map((m) => m.month!) };
}

const newsItemRow = preparedQuery((db: DB, id: number) =>
  db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .innerJoin("categories", "categories.id", "items.category_id")
    .select([
      "items.id", "items.title", "items.body", "items.decided_at", "items.unit_id", "units.name as unit_name",
      "items.category_id", "categories.name as category",
    ])
    .where("items.id", "=", id)
    .where("items.status", "=", "adopted"),
);
const newsBylines = preparedQuery((db: DB, id: number) =>
  db
    .selectFrom("item_bylines")
    .innerJoin("accounts", "accounts.id", "item_bylines.account_id")
    .select("accounts.display_name")
    .where("item_bylines.item_id", "=", id)
    .orderBy("accounts.display_name"),
);
const newsPhotos = preparedQuery((db: DB, id: number) =>
  db.selectFrom("photos").select(["id", "caption", "width", "height"]).where("item_id", "=", id).orderBy("sort_order").orderBy("id"),
);

/** One published item, or null when it is not (or no longer) public. */
export async function getNewsItem(db: DB, id: number) {
  const [item] = await newsItemRow(db, id);
  if (!item) return null;
  const [bylines, photos] = await Promise.all([newsBylines(db, id), newsPhotos(db, id)]);
  const { decided_at, ...rest } = item;
  return { item: { ...rest, adopted_at: decided_at ?? "" }, bylines: bylines.map((b) => b.display_name), photos };
}
