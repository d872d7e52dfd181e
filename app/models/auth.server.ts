// Accounts signing in and out: sessions stored in the database, the cookie holds a random id.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { loginThrottle, THROTTLE } from "~/domain/login-throttle";
import { isRole, type Role } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { UNUSABLE_HASH, verifyPassword } from "~/models/password.server";

type DB = Kysely<Database>;

export const SESSION_DAYS = 7;

/** The signed-in person (defined with the roles, so pages and components can name it). */
export type { SessionUser } from "~/domain/permissions";
import type { SessionUser } from "~/domain/permissions";

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

export type LoginResult =
  | { ok: true; sessionId: string; user: SessionUser }
  | { ok: false; status: 401 | 429; message: string };

export async function login(
  db: DB,
  input: { username: string; password: string; ip: string; userAgent: string; previousSessionId?: string | null },
  now = new Date(),
): Promise<LoginResult> {
  const username = input.username.trim();
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
  const [accountFailures, addressFailures] = await Promise.all([
    countFailures(db, "username", username, since),
    countFailures(db, "ip", input.ip, since),
  ]);
  const throttle = loginThrottle({ accountFailures, addressFailures });
  if (!throttle.allowed) {
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, {
        actorId: null, actorName: username, action: "login_throttled", entityType: "account", entityId: username,
        reason: throttle.scope, ip: input.ip, at: now.toISOString(),
      });
    });
    return { ok: false, status: 429, message: throttle.message };
  }

  const account = await db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirst();
  // Always run scrypt so a missing account takes as long as a wrong password.
  const passwordOk = await verifyPassword(input.password, account?.password_hash ?? UNUSABLE_HASH);
  const ok = !!account && passwordOk && account.active === 1;

  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("login_attempts")
      .values({ username, ip: input.ip, success: ok ? 1 : 0, at: now.toISOString() })
      .execute();
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
    // Housekeeping rides along with logins: expired sessions and day-old attempts go.
    await trx.deleteFrom("sessions").where("expires_at", "<=", now.toISOString()).execute();
    await trx.deleteFrom("login_attempts").where("at", "<", new Date(now.getTime() - 86_400_000).toISOString()).execute();
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
  });
}

async function countFailures(db: DB, column: "username" | "ip", value: string, since: string): Promise<number> {
  // Failures since the last success of that account/address count; a success wipes the slate.
  const lastSuccess = await db
    .selectFrom("login_attempts")
    .select((eb) => eb.fn.max("at").as("at"))
    .where(column, "=", value)
    .where("success", "=", 1)
    .executeTakeFirst();
  const from = lastSuccess?.at && lastSuccess.at > since ? lastSuccess.at : since;
  const row = await db
    .selectFrom("login_attempts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(column, "=", value)
    .where("success", "=", 0)
    .where("at", ">", from)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The signed-in person of a session id, or null when unknown, expired or deactivated. */
export async function findSessionUser(db: DB, sessionId: string, now = new Date()): Promise<SessionUser | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("accounts", "accounts.id", "sessions.account_id")
    .leftJoin("units", "units.id", "accounts.unit_id")
    .select([
      "accounts.id", "accounts.username", "accounts.display_name", "accounts.role", "accounts.unit_id",
      "accounts.active", "accounts.must_change_password", "units.name as unit_name", "sessions.expires_at",
    ])
    .where("sessions.id_hash", "=", hashSessionId(sessionId))
    .executeTakeFirst();
  if (!row || row.active !== 1 || row.expires_at <= now.toISOString() || !isRole(row.role)) return null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    mustChangePassword: row.must_change_password === 1,
  };
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
