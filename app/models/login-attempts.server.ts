// Password attempts and the login throttle's counters (app/domain/login-throttle.ts): each attempt
// is reserved in a write transaction before the password is evaluated and settled after it. Used by
// login (auth.server.ts) and by the current-password check of a password change.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { counterKeys, decideAttempt, LOGIN_LIMITS, refundAccount, type Counter, type CounterKeys, type ThrottleScope } from "~/domain/login-throttle";
import { namedWrite } from "~/models/named-writes.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

/** A password attempt that passed the throttle: its point is taken until it is settled. */
export interface AttemptTicket {
  username: string;
  ip: string;
  keys: CounterKeys;
}

export type Reservation =
  | { ok: true; ticket: AttemptTicket }
  | { ok: false; status: 429; message: string; retryAfterSeconds: number };

/**
 * Checks and records one password attempt atomically, before the password is evaluated: inside
 * one write transaction (BEGIN IMMEDIATE on the one writer connection) the counters are read,
 * judged by the domain and bumped. N attempts sent in parallel are judged one after another, so
 * at most the allowed number ever reach scrypt. A refusal is summarised per address and window.
 */
export async function reserveAttempt(db: DB, input: { username: string; ip: string; device?: string | null }, now = new Date()): Promise<Reservation> {
  const username = input.username.trim();
  return reserveWrite(db, { username, ip: input.ip, device: input.device ?? null, now });
}

/** The reservation's transaction: a named write, run by the primary when there are several processes. */
const reserveWrite = namedWrite(
  "login-reserve",
  async (trx, { username, ip, device, now }: { username: string; ip: string; device: string | null; now: Date }): Promise<Reservation> => {
    // A valid device cookie for this account: its own counter alone judges the attempt.
    const keys = counterKeys(username, ip, device);
    const rows = await trx
      .selectFrom("login_counters")
      .selectAll()
      .where("key", "in", keys.device ? [keys.device] : [keys.pair, keys.address, keys.account])
      .execute();
    const counter = (key: string | null): Counter | null => {
      const row = rows.find((r) => r.key === key);
      return row ? { points: row.points, expiresAt: row.expires_at, nextAllowedAt: row.next_allowed_at } : null;
    };
    const state = {
      pair: counter(keys.pair), address: counter(keys.address), account: counter(keys.account), knownPair: false,
      device: counter(keys.device), trustedDevice: keys.device !== null,
    };
    let decision = decideAttempt(state, now);
    // Only a refusal by the address asks whether this account has signed in from there before.
    if (!decision.allowed && decision.scope === "address" && (await hasSignedInFrom(trx, username, ip))) {
      decision = decideAttempt({ ...state, knownPair: true }, now);
    }
    if (!decision.allowed) {
      await recordRefusal(trx, { username, ip: ip, scope: decision.scope, key: keys.refused }, now);
      return { ok: false, status: 429, message: decision.message, retryAfterSeconds: decision.retryAfterSeconds };
    }
    for (const [scope, next] of Object.entries(decision.next) as Array<[keyof CounterKeys, Counter]>) await putCounter(trx, keys[scope]!, next);
    return { ok: true, ticket: { username, ip: ip, keys } };
  },
);

/**
 * Settles an evaluated attempt inside the caller's transaction and keeps it in the login
 * history. A failure keeps the points it took. A success gives back its own points and clears
 * only its own account+address counter (or its device cookie's): another address's failures, and
 * the account's failures from elsewhere, stay counted.
 */
export async function settleAttempt(trx: Trx, ticket: AttemptTicket, success: boolean, now = new Date()): Promise<void> {
  await trx
    .insertInto("login_attempts")
    .values({ username: ticket.username, ip: ticket.ip, success: success ? 1 : 0, at: now.toISOString() })
    .execute();
  if (!success) return;
  if (ticket.keys.device) {
    await trx.deleteFrom("login_counters").where("key", "=", ticket.keys.device).execute();
    return;
  }
  await trx.deleteFrom("login_counters").where("key", "=", ticket.keys.pair).execute();
  await trx
    .updateTable("login_counters")
    .set((eb) => ({ points: sql<number>`max(${eb.ref("points")} - 1, 0)` }))
    .where("key", "=", ticket.keys.address)
    .execute();
  const account = await trx.selectFrom("login_counters").selectAll().where("key", "=", ticket.keys.account).executeTakeFirst();
  if (account) {
    const refunded = refundAccount({ points: account.points, expiresAt: account.expires_at, nextAllowedAt: account.next_allowed_at });
    await trx
      .updateTable("login_counters")
      .set({ points: refunded.points, next_allowed_at: refunded.nextAllowedAt })
      .where("key", "=", ticket.keys.account)
      .execute();
  }
}

async function putCounter(trx: Trx, key: string, c: Counter) {
  await trx
    .insertInto("login_counters")
    .values({ key, points: c.points, expires_at: c.expiresAt, next_allowed_at: c.nextAllowedAt, audit_id: null })
    .onConflict((oc) => oc.column("key").doUpdateSet({ points: c.points, expires_at: c.expiresAt, next_allowed_at: c.nextAllowedAt }))
    .execute();
}

async function hasSignedInFrom(trx: Trx, username: string, ip: string): Promise<boolean> {
  const row = await trx
    .selectFrom("login_attempts")
    .select("id")
    .where("username", "=", username)
    .where("ip", "=", ip)
    .where("success", "=", 1)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/**
 * One audit row per address and window however many attempts were refused: the first refusal
 * writes it, later ones update its count. A flood of refused attempts cannot flood the audit trail.
 */
async function recordRefusal(
  trx: Trx,
  input: { username: string; ip: string; scope: ThrottleScope; key: string },
  now: Date,
): Promise<void> {
  const nowIso = now.toISOString();
  const summary = await trx.selectFrom("login_counters").selectAll().where("key", "=", input.key).executeTakeFirst();
  if (summary && summary.expires_at > nowIso && summary.audit_id !== null) {
    const audit = await trx.selectFrom("audit_events").select("detail_json").where("id", "=", summary.audit_id).executeTakeFirst();
    const detail = audit ? (JSON.parse(audit.detail_json) as { usernames?: string[] }) : {};
    const usernames = [...new Set([...(detail.usernames ?? []), input.username])].slice(0, 20);
    await trx
      .updateTable("audit_events")
      .set({ detail_json: JSON.stringify({ ...detail, refused: summary.points + 1, usernames, last_at: nowIso, last_scope: input.scope }) })
      .where("id", "=", summary.audit_id)
      .execute();
    await trx.updateTable("login_counters").set({ points: summary.points + 1 }).where("key", "=", input.key).execute();
    return;
  }
  const until = new Date(now.getTime() + LOGIN_LIMITS.refusalSummaryMinutes * 60_000).toISOString();
  const inserted = await trx
    .insertInto("audit_events")
    .values({
      at: nowIso, actor_id: null, actor_name: input.username, action: "login_throttled", entity_type: "address",
      entity_id: input.ip, from_state: null, to_state: null, reason: input.scope, ip: input.ip,
      detail_json: JSON.stringify({ refused: 1, usernames: [input.username], window_until: until, last_at: nowIso, last_scope: input.scope }),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("login_counters")
    .values({ key: input.key, points: 1, expires_at: until, next_allowed_at: null, audit_id: inserted.id })
    .onConflict((oc) => oc.column("key").doUpdateSet({ points: 1, expires_at: until, next_allowed_at: null, audit_id: inserted.id }))
    .execute();
}
