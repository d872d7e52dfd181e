// One item with everything its pages show: unit, bylines, photos, history, pickups, 批示,
// sensitive-word hits. Visibility is decided here, by the domain, for every caller.
import type { Kysely } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { bylineCents, itemCounts, itemReceipt } from "~/domain/points";
import { findSensitiveWords, type WordHit } from "~/domain/sensitive-words";
import { canViewItem } from "~/domain/workflow";
import { pointsRulesFor } from "~/models/rules.server";
import { lexiconMatcher } from "~/models/sensitive-words.server";

type DB = Kysely<Database>;

/** The item with its unit, kind, category, channel, theme, author and 约稿. */
const itemRow = preparedQuery((db: DB, itemId: number) =>
  db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .innerJoin("categories", "categories.id", "items.category_id")
    .leftJoin("channels", "channels.id", "items.channel_id")
    .leftJoin("themes", "themes.id", "items.theme_id")
    .innerJoin("accounts as author", "author.id", "items.created_by")
    .leftJoin("requests", "requests.id", "items.request_id")
    .select([
      "items.id", "items.unit_id", "items.title", "items.body", "items.category_id", "items.channel_id", "items.event_date",
      "items.status", "items.report_month", "items.first_submitted_at", "items.submitted_at", "items.late", "items.grade",
      "items.decided_at", "items.points_revoked", "items.last_reason", "items.returned_count", "items.confidential_checked",
      "items.version", "items.created_at", "items.updated_at", "items.created_by",
      "units.name as unit_name", "units.code as unit_code", "units.kind_code", "units.signoff_required",
      "unit_kinds.name as kind_name", "categories.name as category", "channels.name as channel", "author.display_name as author_name",
      "themes.title as theme", "themes.month as theme_month",
      "items.request_id", "requests.topic as request_topic",
    ])
    .where("items.id", "=", itemId),
);

const bylinesOf = preparedQuery((db: DB, itemId: number) =>
  db
    .selectFrom("item_bylines")
    .innerJoin("accounts", "accounts.id", "item_bylines.account_id")
    .select(["accounts.id", "accounts.display_name"])
    .where("item_bylines.item_id", "=", itemId)
    .orderBy("accounts.display_name"),
);

const photosOf = preparedQuery((db: DB, itemId: number) =>
  db.selectFrom("photos").select(["id", "caption", "width", "height", "sort_order"]).where("item_id", "=", itemId).orderBy("sort_order").orderBy("id"),
);

const historyOf = preparedQuery((db: DB, itemId: number) =>
  db
    .selectFrom("review_events")
    .innerJoin("accounts", "accounts.id", "review_events.actor_id")
    .select([
      "review_events.id", "review_events.action", "review_events.from_status", "review_events.to_status",
      "review_events.grade", "review_events.reason", "review_events.at", "accounts.display_name as actor_name",
    ])
    .where("review_events.item_id", "=", itemId)
    .orderBy("review_events.at")
    .orderBy("review_events.id"),
);

const pickupsOf = preparedQuery((db: DB, itemId: number) => db.selectFrom("pickups").selectAll().where("item_id", "=", itemId).orderBy("picked_on"));

const instructionsOf = preparedQuery((db: DB, itemId: number) =>
  db.selectFrom("instructions").selectAll().where("item_id", "=", itemId).orderBy("instructed_on"),
);

export async function getItemDetail(db: DB, actor: Actor | null, itemId: number) {
  const [item] = await itemRow(db, itemId);
  if (!item) return { found: false as const };
  if (!canViewItem(actor, { status: item.status, unitId: item.unit_id, reportMonth: item.report_month })) {
    return { found: true as const, allowed: false as const };
  }
  const [bylines, photos, history, pickups, instructions, matcher] = await Promise.all([
    bylinesOf(db, itemId),
    photosOf(db, itemId),
    historyOf(db, itemId),
    pickupsOf(db, itemId),
    instructionsOf(db, itemId),
    lexiconMatcher(db),
  ]);
  const { rules } = await pointsRulesFor(db, item.report_month ?? "9999-12");
  const receipt = itemReceipt(
    {
      status: item.status, grade: item.grade, pointsRevoked: item.points_revoked === 1, photoCount: photos.length,
      late: item.late === 1, pickupTiers: pickups.map((p) => p.tier), instructionLevels: instructions.map((i) => i.level),
    },
    rules,
  );
  const shares = bylineCents(Math.round(receipt.total * 100), bylines.map((b) => b.id), item.id);
  const points = {
    ...receipt,
    counted: itemCounts({ status: item.status, pointsRevoked: item.points_revoked === 1 }),
    // Each byline's share as the correspondents' rankings credit it.
    shares: bylines.map((b) => ({ name: b.display_name, points: shares.get(b.id)! / 100 })),
  };
  const hits: { title: WordHit[]; body: WordHit[]; captions: Record<string, WordHit[]> } = {
    title: findSensitiveWords(matcher, item.title),
    body: findSensitiveWords(matcher, item.body),
    // By photo id; only the captions with a hit.
    captions: Object.fromEntries(
      photos.map((p) => [String(p.id), findSensitiveWords(matcher, p.caption)] as const).filter(([, found]) => found.length > 0),
    ),
  };
  return { found: true as const, allowed: true as const, item, bylines, photos, history, pickups, instructions, hits, points };
}

export type ItemDetail = Extract<Awaited<ReturnType<typeof getItemDetail>>, { allowed: true }>;
