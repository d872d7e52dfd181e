// In-app notifications, written in the same transaction as the event they report.
import type { Kysely, SelectQueryBuilder, Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { REGISTER_ROLES } from "~/domain/register";
import { paged } from "~/models/units.server";

type DB = Kysely<Database> | Transaction<Database>;

export interface NewNotification {
  kind: string;
  title: string;
  body?: string;
  link?: string;
  itemId?: number | null;
}

/** The active correspondents and leads of the given units: whom a message to a school reaches. */
export async function schoolStaff(db: DB, unitIds: readonly number[]): Promise<Array<{ id: number; unitId: number }>> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom("accounts")
    .select(["id", "unit_id"])
    .where("unit_id", "in", [...unitIds])
    .where("active", "=", 1)
    .where("role", "in", [...REGISTER_ROLES])
    .execute();
  return rows.map((r) => ({ id: r.id, unitId: r.unit_id! }));
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

/**
 * `notify` for the accounts a query selects (its one column `id`), in one statement: the recipients
 * are not read first, which inside a write transaction would cost a round trip of its own.
 */
export async function notifySelected(
  db: DB,
  accounts: SelectQueryBuilder<Database, any, { id: number }>,
  n: NewNotification,
  at = new Date().toISOString(),
) {
  await db
    .insertInto("notifications")
    .columns(["account_id", "kind", "title", "body", "link", "item_id", "created_at"])
    .expression(
      db
        .selectFrom(accounts.as("recipients"))
        .select((eb) => [
          "recipients.id", eb.val(n.kind).as("kind"), eb.val(n.title).as("title"), eb.val(n.body ?? "").as("body"),
          eb.val(n.link ?? "").as("link"), eb.val(n.itemId ?? null).as("item_id"), eb.val(at).as("created_at"),
        ])
        .distinct(),
    )
    .execute();
}

/** Unread notifications of an account: the badge on every page. */
const unread = preparedQuery((db: DB, accountId: number) =>
  db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("read_at", "is", null),
);

export async function unreadCount(db: DB, accountId: number): Promise<number> {
  const [row] = await unread(db, accountId);
  return Number(row.n);
}

/** Marks one (or, without an id, all) of the person's notifications read; how many changed. */
export async function markRead(db: Kysely<Database>, accountId: number, notificationId?: number, at = new Date().toISOString()) {
  let q = db.updateTable("notifications").set({ read_at: at }).where("account_id", "=", accountId).where("read_at", "is", null);
  if (notificationId !== undefined) q = q.where("id", "=", notificationId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// Marking read is the person's own reading state, not an act on the bureau's data, so it
// leaves no audit row.

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** Where a notification leads: its own link when it stays on this site, else its item. */
export function notificationTarget(n: { link: string; item_id: number | null }): string | null {
  if (n.link.startsWith("/") && !n.link.startsWith("//") && !n.link.startsWith("/\\")) return n.link;
  return n.item_id !== null ? `/items/${n.item_id}` : null;
}

export async function listNotificationsPage(db: DB, accountId: number, filters: { page: number }) {
  const base = db.selectFrom("notifications").where("account_id", "=", accountId);
  const [{ rows, total, pages }, unread] = await Promise.all([
    paged(base, filters.page, NOTIFICATIONS_PAGE_SIZE, (q) =>
      q
        .select(["id", "kind", "title", "body", "link", "item_id", "created_at", "read_at"])
        .orderBy("created_at", "desc")
        .orderBy("id", "desc"),
    ),
    unreadCount(db, accountId),
  ]);
  return {
    rows: rows.map(({ link, ...row }) => ({ ...row, target: notificationTarget({ link, item_id: row.item_id }) })),
    total,
    unread,
    pages,
  };
}

/**
 * Marks one of the person's own notifications read. Someone else's id, or one that does not
 * exist, is `found: false` and changes nothing.
 */
export async function markNotificationRead(db: Kysely<Database>, accountId: number, notificationId: number) {
  const row = await db
    .selectFrom("notifications")
    .select(["id", "link", "item_id", "read_at"])
    .where("id", "=", notificationId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  if (!row) return { found: false as const };
  if (row.read_at === null) await markRead(db, accountId, notificationId);
  return { found: true as const, target: notificationTarget(row) };
}

export async function markAllNotificationsRead(db: Kysely<Database>, accountId: number): Promise<number> {
  return markRead(db, accountId);
}
