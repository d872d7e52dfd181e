// The 上稿 and 批示 records a reviewer adds to an adopted item. Each is one transaction: the item
// checked adopted, the record, its audit row, the unit's month refreshed (they earn points). The
// transaction is a named write: with several processes it runs in the primary (named-writes.server.ts).
import type { ExpressionBuilder, Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { refusal, type Refusal } from "~/domain/refusal";
import { acceptsPickups, recordBeforeEvent, repeatedRecord, type InstructionInput, type PickupInput } from "~/domain/review";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { namedWrite } from "~/models/named-writes.server";
import { refreshUnitMonths } from "~/models/rollup.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

export type RecordResult = { ok: true; id: number } | Refusal;

/** One record on an adopted item, as data (so that it can run in another process). */
type OnAdopted = { kind: "pickup"; input: PickupInput } | { kind: "instruction"; input: InstructionInput };

/** Runs a record on an adopted item: checked, written, audited and accounted in one transaction. */
const recordOnAdopted = namedWrite(
  "item-record",
  async (trx, { actor, itemId, record, at }: { actor: AuditActor; itemId: number; record: OnAdopted; at: string }): Promise<RecordResult> => {
    const item = await trx
      .selectFrom("items")
      .select(["id", "unit_id", "status", "report_month", "event_date"])
      .select((eb) => sameRecordAt(eb, record).as("repeated_at"))
      .where("id", "=", itemId)
      .executeTakeFirst();
    if (!item) return refusal(404, "稿件不存在。");
    if (!acceptsPickups(item.status)) {
      return refusal(409, "只有已采用的稿件才能登记上稿或批示，该稿件的状态已变化，请刷新后查看。");
    }
    const early = recordBeforeEvent(record, item.event_date);
    if (early) return early;
    if (item.repeated_at) return repeatedRecord(record.kind, item.repeated_at);
    const id = record.kind === "pickup" ? await writePickup(trx, actor, itemId, record.input, at) : await writeInstruction(trx, actor, itemId, record.input, at);
    // Pickups and 批示 earn points: the unit's month moves with them.
    await refreshUnitMonths(trx, [{ unitId: item.unit_id, month: item.report_month }]);
    return { ok: true as const, id };
  },
);

/**
 * When the item got a record the same in every field as this one (the form sent twice), read with
 * the item itself: no statement more while the turn to write is held.
 */
function sameRecordAt(eb: ExpressionBuilder<Database, "items">, record: OnAdopted) {
  if (record.kind === "pickup") {
    const { outlet, tier, picked_on, url } = record.input;
    return eb
      .selectFrom("pickups").select("pickups.created_at")
      .whereRef("pickups.item_id", "=", "items.id")
      .where("pickups.outlet", "=", outlet).where("pickups.tier", "=", tier).where("pickups.picked_on", "=", picked_on).where("pickups.url", "=", url)
      .limit(1);
  }
  const { level, leader, content, instructed_on } = record.input;
  return eb
    .selectFrom("instructions").select("instructions.created_at")
    .whereRef("instructions.item_id", "=", "items.id")
    .where("instructions.level", "=", level).where("instructions.leader", "=", leader).where("instructions.content", "=", content)
    .where("instructions.instructed_on", "=", instructed_on)
    .limit(1);
}

/** The pickup row itself; the caller checks the item is adopted, audits and refreshes the month (the 简报 publishes many in one act). */
export async function insertPickup(trx: Trx, actorId: number, itemId: number, input: PickupInput, at: string): Promise<number> {
  const row = await trx
    .insertInto("pickups")
    .values({ item_id: itemId, outlet: input.outlet, tier: input.tier, picked_on: input.picked_on, url: input.url, created_by: actorId, created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function writePickup(trx: Trx, actor: AuditActor, itemId: number, input: PickupInput, at: string): Promise<number> {
  const id = await insertPickup(trx, actor.id, itemId, input, at);
  await recordAudit(trx, {
    actorId: actor.id, actorName: actor.username, action: "pickup_recorded", entityType: "item", entityId: itemId, ip: actor.ip, at,
    detail: { pickup_id: id, outlet: input.outlet, tier: input.tier, picked_on: input.picked_on, url: input.url },
  });
  return id;
}

async function writeInstruction(trx: Trx, actor: AuditActor, itemId: number, input: InstructionInput, at: string): Promise<number> {
  const row = await trx
    .insertInto("instructions")
    .values({
      item_id: itemId, level: input.level, leader: input.leader, content: input.content, instructed_on: input.instructed_on,
      created_by: actor.id, created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actorId: actor.id, actorName: actor.username, action: "instruction_recorded", entityType: "item", entityId: itemId, ip: actor.ip, at,
    detail: { instruction_id: row.id, level: input.level, leader: input.leader, instructed_on: input.instructed_on },
  });
  return row.id;
}

export async function recordPickup(db: DB, actor: AuditActor, itemId: number, input: PickupInput, now = new Date()): Promise<RecordResult> {
  return recordOnAdopted(db, { actor, itemId, record: { kind: "pickup", input }, at: now.toISOString() });
}

export async function recordInstruction(db: DB, actor: AuditActor, itemId: number, input: InstructionInput, now = new Date()): Promise<RecordResult> {
  return recordOnAdopted(db, { actor, itemId, record: { kind: "instruction", input }, at: now.toISOString() });
}
