// Accounts signing in and out: sessions stored in the database, the cookie holds a random id.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { isRole } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { reserveAttempt, settleAttempt, type AttemptTicket } from "~/models/login-attempts.server";
import { namedWrite } from "~/models/named-writes.server";
import { UNUSABLE_HASH, verifyPassword } from "~/models/password.server";
import { getSetting } from "~/models/settings.server";

type DB = Kysely<Database>;

export const SESSION_DAYS = 7;

/** The signed-in person (defined with the roles, so pages and components can name it). */
export type { SessionUser } from "~/domain/permissions";
import type { SessionUser } from "~/domain/permissions";

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/**
 * A tag of an account's password as stored (its hash's hash, shortened): a device cookie carries it
 * and is trusted only while the account's password is the same (app/lib/device-cookie.server.ts).
 */
export function passwordTag(passwordHash: string): string {
  return createHash("sha256").update(`device-cookie\n${passwordHash}`).digest("base64url").slice(0, 22);
}

type LoginRefused = { ok: false; status: 401 | 429; message: string; retryAfterSeconds?: number };

/** What the login's write transaction answers. */
type LoginSettled = { ok: true; sessionId: string; user: SessionUser } | LoginRefused;

/** How a login ended: signed in (with the tag of the password it signed in with, for the device cookie), or refused. */
export type LoginResult = { ok: true; sessionId: string; user: SessionUser; passwordTag: string } | LoginRefused;

type Trx = Transaction<Database>;

/** Actions whose audit rows are login history, pruned with it. */
const LOGIN_HISTORY_ACTIONS = ["login", "login_failed", "login_throttled", "logout", "password_check_failed"];

/**
 * Housekeeping that rides along with successful logins: expired sessions and counters go, and
 * login history (attempts and their audit rows) older than the `loginHistoryDays` setting.
 */
export async function pruneLoginHistory(trx: Trx | DB, now = new Date()): Promise<void> {
  const days = await getSetting(trx, "loginHistoryDays");
  const cutoff = new Date(now.getTime() - Math.max(1, days) * 86_400_000).toISOString();
  const nowIso = now.toISOString();
  await trx.deleteFrom("sessions").where("expires_at", "<=", nowIso).execute();
  await trx.deleteFrom("login_counters").where("expires_at", "<=", nowIso).execute();
  await trx.deleteFrom("login_attempts").where("at", "<", cutoff).execute();
  await trx.deleteFrom("audit_events").where("action", "in", LOGIN_HISTORY_ACTIONS).where("at", "<", cutoff).execute();
}

/** Whether an account signs in with a password that verified: it exists and is in use. */
export function signsIn(account: { active: number } | null | undefined, passwordOk: boolean): boolean {
  return !!account && passwordOk && account.active === 1;
}

export async function login(
  db: DB,
  input: {
    username: string; password: string; ip: string; userAgent: string; previousSessionId?: string | null;
    /** What the browser's device cookie holds for this account, when it carries a valid one (app/lib/device-cookie.server.ts). */
    device?: { id: string; passwordTag: string } | null;
  },
  now = new Date(),
): Promise<LoginResult> {
  const username = input.username.trim();
  const account = await db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirst();
  // A device cookie from before the password changed (or was reset) is trusted no more.
  const device = input.device && account && input.device.passwordTag === passwordTag(account.password_hash) ? input.device.id : null;
  const reservation = await reserveAttempt(db, { username, ip: input.ip, device }, now);
  if (!reservation.ok) return reservation;

  // Always run scrypt so a missing account takes as long as a wrong password.
  const passwordOk = await verifyPassword(input.password, account?.password_hash ?? UNUSABLE_HASH);
  // What the transaction needs, without the password: the account as found and how it fared.
  const result = await loginWrite(db, {
    ticket: reservation.ticket, account: account ? { id: account.id, username: account.username, active: account.active } : null, passwordOk,
    ip: input.ip, userAgent: input.userAgent, previousSessionId: input.previousSessionId ?? null, now,
  });
  // The browser's device cookie is written with the password it signed in with.
  return result.ok ? { ...result, passwordTag: passwordTag(account!.password_hash) } : result;
}

interface LoginPayload {
  ticket: AttemptTicket;
  account: { id: number; username: string; active: number } | null;
  passwordOk: boolean;
  ip: string;
  userAgent: string;
  previousSessionId: string | null;
  now: Date;
}

/** The attempt settled and, when it succeeded, the session created: a named write, like the reservation. */
const loginWrite = namedWrite(
  "login-settle",
  async (trx, { ticket, account, passwordOk, now, ...input }: LoginPayload): Promise<LoginSettled> => {
    const username = ticket.username;
    const ok = signsIn(account, passwordOk);
    await settleAttempt(trx, ticket, ok, now);
    if (!ok) {
      await recordAudit(trx, {
        actorId: account?.id ?? null, actorName: username, action: "login_failed", entityType: "account",
        entityId: account?.id ?? username, reason: account && passwordOk ? "inactive" : "bad_credentials",
        ip: input.ip, at: now.toISOString(),
      });
      return {
        ok: false as const,
        status: 401 as const,
        message: account && passwordOk ? "该账号已停用，请联系管理员。" : "用户名或密码不正确。",
      };
    }
    await pruneLoginHistory(trx, now);
    // A fresh id at every login: a session id planted before login is worthless after it.
    if (input.previousSessionId) {
      await trx.deleteFrom("sessions").where("id_hash", "=", hashSessionId(input.previousSessionId)).execute();
    }
    const sessionId = randomBytes(32).toString("base64url");
    await trx
      .insertInto("sessions")
      .values({
        id_hash: hashSessionId(sessionId),
        account_id: account!.id,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
        ip: input.ip,
        user_agent: input.userAgent.slice(0, 300),
      })
      .execute();
    await recordAudit(trx, {
      actorId: account!.id, actorName: account!.username, action: "login", entityType: "account",
      entityId: account!.id, ip: input.ip, at: now.toISOString(),
    });
    const user = await findSessionUser(trx, sessionId, now);
    return { ok: true as const, sessionId, user: user! };
  },
);

/**
 * The account behind a session (by the session id's hash), on every signed-in request, with its
 * unread notifications (the badge every page's header shows: one statement, not two).
 */
const sessionAccount = preparedQuery((db: DB, idHash: string) =>
  db
    .selectFrom("sessions")
    .innerJoin("accounts", "accounts.id", "sessions.account_id")
    .leftJoin("units", "units.id", "accounts.unit_id")
    .select((eb) => [
      "accounts.id", "accounts.username", "accounts.display_name", "accounts.role", "accounts.unit_id",
      "accounts.active", "accounts.must_change_password", "units.name as unit_name", "sessions.expires_at",
      eb
        .selectFrom("notifications")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("notifications.account_id", "=", "accounts.id")
        .where("notifications.read_at", "is", null)
        .as("unread"),
    ])
    .where("sessions.id_hash", "=", idHash),
);

/** A signed-in person and how many of their notifications are unread. */
export interface SignedIn {
  user: SessionUser;
  unread: number;
}

/** The signed-in person of a session id (and their unread count), or null when unknown, expired or deactivated. */
export async function findSignedIn(db: DB, sessionId: string, now = new Date()): Promise<SignedIn | null> {
  const [row] = await sessionAccount(db, hashSessionId(sessionId));
  if (!row || row.active !== 1 || row.expires_at <= now.toISOString() || !isRole(row.role)) return null;
  const user: SessionUser = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    mustChangePassword: row.must_change_password === 1,
  };
  return { user, unread: Number(row.unread ?? 0) };
}

/** The signed-in person of a session id, or null when unknown, expired or deactivated. */
export async function findSessionUser(db: DB, sessionId: string, now = new Date()): Promise<SessionUser | null> {
  return (await findSignedIn(db, sessionId, now))?.user ?? null;
}

export async function logout(db: DB, sessionId: string, ip: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const session = await trx
      .selectFrom("sessions")
      .select("account_id")
      .where("id_hash", "=", hashSessionId(sessionId))
      .executeTakeFirst();
    if (!session) return;
    await trx.deleteFrom("sessions").where("id_hash", "=", hashSessionId(sessionId)).execute();
    await recordAudit(trx, { actorId: session.account_id, action: "logout", entityType: "account", entityId: session.account_id, ip });
  });
}

/** Ends every session of an account (deactivation, password reset). */
export async function endSessionsOf(db: Kysely<Database>, accountId: number, exceptSessionId?: string) {
  let q = db.deleteFrom("sessions").where("account_id", "=", accountId);
  if (exceptSessionId) q = q.where("id_hash", "!=", hashSessionId(exceptSessionId));
  await q.execute();
}
