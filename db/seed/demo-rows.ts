// Writes the planned demo county into the database, inside the seed's transaction: units,
// accounts, items with their bylines and photos, the review trail in the order things happened,
// pickups, instructions and notifications, each in batches.
import type { Kysely, Transaction } from "kysely";
import { daysBetween } from "../../app/domain/time";
import type { Database } from "../schema";
import { atShanghai, DEMO_SEED, dayOf, iso, type DemoCounty, type ItemPlan } from "./demo-plan";
import { notificationsFor } from "./demo-followups";
import { Random } from "./random";

const BATCH = 200;

async function insertInBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/** Inserts every row of the county; returns the number of photo rows. */
export async function writeCountyRows(
  trx: Transaction<Database> | Kysely<Database>,
  county: DemoCounty,
  options: { passwordHash: string; nowMs: number },
): Promise<number> {
  const { passwordHash, nowMs } = options;
  const categoryIds = new Map((await trx.selectFrom("categories").select(["id", "name"]).execute()).map((r) => [r.name, r.id]));
  const channelIds = new Map((await trx.selectFrom("channels").select(["id", "name"]).execute()).map((r) => [r.name, r.id]));
  const lookup = (map: Map<string, number>, name: string) => {
    const id = map.get(name);
    if (id === undefined) throw new Error(`参考数据缺少“${name}”`);
    return id;
  };

  const unitsAt = iso(county.unitsCreatedAt);
  await trx
    .insertInto("units")
    .values(county.units.map((u) => ({
      id: u.id, code: u.code, name: u.name, township: u.township, kind_code: u.kind,
      signoff_required: u.signoff ? 1 : 0, created_at: unitsAt, updated_at: unitsAt,
    } as const)))
    .execute();

  await insertInBatches(
    county.people.map((p) => {
      const registeredAt = p.registeredOn ? atShanghai(p.registeredOn, 9 * 60) : p.createdAt;
      const updatedAt = Math.max(p.createdAt, registeredAt, p.deactivatedAt ?? 0);
      return {
        id: p.id, username: p.username, display_name: p.name, phone: p.phone, role: p.role, unit_id: p.unitId,
        password_hash: passwordHash, active: p.deactivatedAt === null ? 1 : 0, registered_on: p.registeredOn,
        deactivated_at: p.deactivatedAt === null ? null : iso(p.deactivatedAt),
        created_at: iso(p.createdAt), updated_at: iso(updatedAt),
      } as const;
    }),
    (batch) => trx.insertInto("accounts").values(batch).execute(),
  );

  await insertInBatches(
    county.items.map((item) => {
      const lastEvent = item.events.length ? item.events[item.events.length - 1].at : item.createdAt;
      const late = item.firstArrival !== null && daysBetween(item.eventDate, dayOf(item.firstArrival)) > 7;
      return {
        id: item.id,
        unit_id: item.unit.id,
        title: item.title,
        body: item.body,
        category_id: lookup(categoryIds, item.category),
        channel_id: lookup(channelIds, item.channel),
        event_date: item.eventDate,
        status: item.status,
        report_month: item.reportMonth,
        first_submitted_at: item.firstArrival === null ? null : iso(item.firstArrival),
        submitted_at: item.lastArrival === null ? null : iso(item.lastArrival),
        late: late ? 1 : 0,
        grade: item.grade,
        decided_at: item.decidedAt === null ? null : iso(item.decidedAt),
        decided_by: item.decidedBy,
        points_revoked: item.pointsRevoked ? 1 : 0,
        last_reason: item.lastReason,
        returned_count: item.returnedCount,
        confidential_checked: item.confidential ? 1 : 0,
        version: item.events.length + 1,
        created_by: item.createdBy.id,
        created_at: iso(item.createdAt),
        updated_at: iso(Math.max(item.createdAt, lastEvent)),
      } as const;
    }),
    (batch) => trx.insertInto("items").values(batch).execute(),
  );

  await insertInBatches(
    county.items.flatMap((item) => item.bylines.map((p) => ({ item_id: item.id, account_id: p.id }))),
    (batch) => trx.insertInto("item_bylines").values(batch).execute(),
  );

  const photoRows = county.items.flatMap((item) =>
    item.photos.map((photo, i) => ({
      item_id: item.id, sha256: photo.image.sha256, mime: photo.image.mime, width: photo.image.width,
      height: photo.image.height, bytes: photo.image.bytes, caption: photo.caption, sort_order: i,
      created_at: iso(item.createdAt),
    })),
  );
  await insertInBatches(photoRows, (batch) => trx.insertInto("photos").values(batch).execute());

  // The audit trail in the order things happened, as the running portal would have written it.
  const events = county.items
    .flatMap((item) => item.events.map((e, order) => ({ item, e, order })))
    .sort((a, b) => a.e.at - b.e.at || a.item.id - b.item.id || a.order - b.order);
  await insertInBatches(
    events.map(({ item, e }) => ({
      item_id: item.id, actor_id: e.actorId, action: e.action, from_status: e.from, to_status: e.to,
      grade: e.grade, reason: e.reason, at: iso(e.at),
    })),
    (batch) => trx.insertInto("review_events").values(batch).execute(),
  );

  await writeFollowups(trx, county, "by-close");

  // Its own stream, so tuning notifications never reshuffles the county itself.
  await insertInBatches(notificationsFor(county.items, nowMs, new Random(DEMO_SEED + 1)), (batch) =>
    trx.insertInto("notifications").values(batch).execute(),
  );
  return photoRows.length;
}

/**
 * The pickups and 批示 recorded before the close of their item's month ("by-close", written with the
 * county) or after it ("after-close", written once the months are closed, as a reviewer records them
 * in a closed month: they are on the item, and the frozen month stays as it was).
 */
export async function writeFollowups(trx: Transaction<Database> | Kysely<Database>, county: DemoCounty, when: "by-close" | "after-close"): Promise<void> {
  const recordedAfterClose = (item: ItemPlan, createdAt: number) => createdAt >= (county.closeAt(item.reportMonth!) ?? Infinity);
  const wanted = (item: ItemPlan, createdAt: number) => recordedAfterClose(item, createdAt) === (when === "after-close");
  await insertInBatches(
    county.items
      .flatMap((item) => item.pickups.filter((p) => wanted(item, p.createdAt)).map((p) => ({ item, p })))
      .sort((a, b) => a.p.createdAt - b.p.createdAt || a.item.id - b.item.id)
      .map(({ item, p }) => ({
        item_id: item.id, outlet: p.outlet, tier: p.tier, picked_on: p.pickedOn,
        url: `https://example.org/${p.tier}/${p.pickedOn.replaceAll("-", "")}/${item.id}.html`,
        created_by: p.createdBy, created_at: iso(p.createdAt),
      })),
    (batch) => trx.insertInto("pickups").values(batch).execute(),
  );
  await insertInBatches(
    county.items
      .flatMap((item) => item.instructions.filter((x) => wanted(item, x.createdAt)).map((x) => ({ item, x })))
      .sort((a, b) => a.x.createdAt - b.x.createdAt || a.item.id - b.item.id)
      .map(({ item, x }) => ({
        item_id: item.id, level: x.level, leader: x.leader, content: x.content,
        instructed_on: x.instructedOn, created_by: x.createdBy, created_at: iso(x.createdAt),
      })),
    (batch) => trx.insertInto("instructions").values(batch).execute(),
  );
}
