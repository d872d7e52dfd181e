// Items written straight into a test database, in whatever state a test needs, without going
// through the workflow (which is tested on its own).
import type { Kysely } from "kysely";
import type { Database, Grade, ItemStatus } from "../../db/schema";

export interface ItemFixture {
  unitId: number;
  createdBy: number;
  title?: string;
  body?: string;
  status?: ItemStatus;
  /** Category by name (default: the first one). */
  category?: string;
  eventDate?: string;
  reportMonth?: string | null;
  firstSubmittedAt?: string | null;
  /** Latest arrival at the bureau; defaults to firstSubmittedAt. */
  submittedAt?: string | null;
  late?: boolean;
  grade?: Grade | null;
  pointsRevoked?: boolean;
  bylines?: number[];
}

let serial = 0;

export async function insertItem(db: Kysely<Database>, f: ItemFixture): Promise<number> {
  const now = new Date().toISOString();
  const status = f.status ?? "submitted";
  const reached = status !== "draft" && status !== "pending_school";
  const category = f.category
    ? await db.selectFrom("categories").select("id").where("name", "=", f.category).executeTakeFirstOrThrow()
    : await db.selectFrom("categories").select("id").orderBy("sort_order").executeTakeFirstOrThrow();
  // Every item the form makes has a channel: the bureau's first.
  const channel = await db.selectFrom("channels").select("id").orderBy("sort_order").orderBy("id").executeTakeFirst();
  const firstSubmittedAt = f.firstSubmittedAt !== undefined ? f.firstSubmittedAt : reached ? now : null;
  const decided = status === "adopted" || status === "withdrawn" || status === "rejected";
  serial++;
  const { id } = await db
    .insertInto("items")
    .values({
      unit_id: f.unitId,
      title: f.title ?? `测试稿件 ${serial}`,
      body: f.body ?? `第 ${serial} 篇测试稿件的正文。`,
      category_id: category.id,
      channel_id: channel?.id ?? null,
      event_date: f.eventDate ?? "2026-01-05",
      status,
      report_month: f.reportMonth !== undefined ? f.reportMonth : reached ? (firstSubmittedAt ?? now).slice(0, 7) : null,
      first_submitted_at: firstSubmittedAt,
      submitted_at: f.submittedAt !== undefined ? f.submittedAt : firstSubmittedAt,
      late: f.late ? 1 : 0,
      grade: f.grade !== undefined ? f.grade : status === "adopted" || status === "withdrawn" ? "good" : null,
      decided_at: decided ? now : null,
      points_revoked: f.pointsRevoked ? 1 : 0,
      confidential_checked: 1,
      created_by: f.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const bylines = f.bylines ?? [f.createdBy];
  if (bylines.length) await db.insertInto("item_bylines").values(bylines.map((account_id) => ({ item_id: id, account_id }))).execute();
  return id;
}

/** An instant some hours before now, as stored. */
export function hoursAgo(hours: number, from = new Date()): string {
  return new Date(from.getTime() - hours * 3_600_000).toISOString();
}
