// In-app notifications, written in the same transaction as the event they report.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";

type DB = Kysely<Database> | Transaction<Database>;

export interface NewNotification {
  kind: string;
  title: string;
  body?: string;
  link?: string;
  itemId?: number | null;
}

export async function notify(db: DB, accountIds: readonly number[], n: NewNotification, at = new Date().toISOString()) {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return;
  await db
    .insertInto("notifications")
    .values(
      ids.map((account_id) => ({
        account_id, kind: n.kind, title: n.title, body: n.body ?? "", link: n.link ?? "", item_id: n.itemId ?? null, created_at: at,
      })),
    )
    .execute();
}

export async function unreadCount(db: DB, accountId: number): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listNotifications(db: DB, accountId: number, limit = 50) {
  return db
    .selectFrom("notifications")
    .select(["id", "kind", "title", "body", "link", "item_id", "created_at", "read_at"])
    .where("account_id", "=", accountId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Marks one (or, without an id, all) of the person's notifications read. */
export async function markRead(db: Kysely<Database>, accountId: number, notificationId?: number) {
  let q = db.updateTable("notifications").set({ read_at: new Date().toISOString() }).where("account_id", "=", accountId).where("read_at", "is", null);
  if (notificationId !== undefined) q = q.where("id", "=", notificationId);
  await q.execute();
}
