// Accounts: one person each; deactivated, never deleted, so their items and points stay theirs.
import type { Kysely } from "kysely";
import type { Database, RoleCode } from "../../db/schema";
import { roleUnitProblem, type AccountCreateInput, type AccountEditInput } from "~/domain/directory";
import { accountSeen, changedSinceShown } from "~/domain/edit-seen";
import { passwordProblem } from "~/domain/password-policy";
import { refusal, type Refusal } from "~/domain/refusal";
import { shanghaiDate } from "~/domain/time";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { endSessionsOf, hashSessionId } from "~/models/auth.server";
import { reserveAttempt, settleAttempt } from "~/models/login-attempts.server";
import { hashPassword, verifyPassword } from "~/models/password.server";
import { changedFields, containsAny, fieldsRefusal, PAGE_SIZE, paged, refusingUniqueViolation, type ActiveResult, type SaveResult, type StatusFilter } from "~/models/units.server";

type DB = Kysely<Database>;

export type ChangePasswordResult = { ok: true } | Refusal;

/**
 * Changes one's own password; other sessions of the account end, this one stays. The current
 * password is a password guess like any login: it goes through the same throttle (a stolen
 * session must not become a way to try passwords without limit).
 */
export async function changeOwnPassword(
  db: DB,
  input: { accountId: number; current: string; next: string; sessionId: string; ip: string },
  now = new Date(),
): Promise<ChangePasswordResult> {
  const account = await db.selectFrom("accounts").select(["password_hash", "username"]).where("id", "=", input.accountId).executeTakeFirstOrThrow();
  const reservation = await reserveAttempt(db, { username: account.username, ip: input.ip }, now);
  if (!reservation.ok) {
    return refusal(429, reservation.message, { field: "current_password", retryAfterSeconds: reservation.retryAfterSeconds });
  }
  if (!(await verifyPassword(input.current, account.password_hash))) {
    await db.transaction().execute(async (trx) => {
      await settleAttempt(trx, reservation.ticket, false, now);
      await recordAudit(trx, {
        actorId: input.accountId, actorName: account.username, action: "password_check_failed", entityType: "account",
        entityId: input.accountId, ip: input.ip, at: now.toISOString(),
      });
    });
    return refusal(400, "当前密码不正确", { field: "current_password" });
  }
  const passwordHash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    await settleAttempt(trx, reservation.ticket, true, now);
    await trx
      .updateTable("accounts")
      .set({ password_hash: passwordHash, must_change_password: 0, updated_at: now.toISOString() })
      .where("id", "=", input.accountId)
      .execute();
    await trx
      .deleteFrom("sessions")
      .where("account_id", "=", input.accountId)
      .where("id_hash", "!=", hashSessionId(input.sessionId))
      .execute();
    await recordAudit(trx, {
      actorId: input.accountId, actorName: account.username, action: "password_changed", entityType: "account",
      entityId: input.accountId, ip: input.ip, at: now.toISOString(),
    });
  });
  return { ok: true };
}

export { endSessionsOf };

// ---------------------------------------------------------------------------------------------
// The admin's side: listing, creating, editing, (de)activating accounts and resetting passwords.

export interface AccountFilters {
  role?: RoleCode;
  unitId?: number;
  status?: StatusFilter;
  q?: string;
  page: number;
}

export async function listAccounts(db: DB, filters: AccountFilters) {
  let query = db.selectFrom("accounts").leftJoin("units", "units.id", "accounts.unit_id");
  if (filters.role) query = query.where("accounts.role", "=", filters.role);
  if (filters.unitId) query = query.where("accounts.unit_id", "=", filters.unitId);
  if (filters.status) query = query.where("accounts.active", "=", filters.status === "active" ? 1 : 0);
  const search = containsAny(["accounts.username", "accounts.display_name", "accounts.phone"], filters.q);
  if (search) query = query.where(search);
  return paged(query, filters.page, PAGE_SIZE, (q) =>
    q
      .select([
        "accounts.id", "accounts.username", "accounts.display_name", "accounts.phone", "accounts.role",
        "accounts.active", "accounts.must_change_password", "accounts.unit_id", "units.code as unit_code",
        "units.name as unit_name",
      ])
      .orderBy("accounts.active", "desc")
      .orderBy("units.code")
      .orderBy("accounts.username"),
  );
}

/** An account without its password hash, with its unit and how much of the portal it touches. */
export async function getAccount(db: DB, id: number) {
  const account = await db
    .selectFrom("accounts")
    .leftJoin("units", "units.id", "accounts.unit_id")
    .select([
      "accounts.id", "accounts.username", "accounts.display_name", "accounts.phone", "accounts.role",
      "accounts.unit_id", "accounts.active", "accounts.must_change_password", "accounts.registered_on",
      "accounts.deactivated_at", "accounts.created_at", "accounts.updated_at", "units.code as unit_code",
      "units.name as unit_name", "units.active as unit_active",
    ])
    .where("accounts.id", "=", id)
    .executeTakeFirst();
  if (!account) return null;
  const [bylines, sessions] = await Promise.all([
    db.selectFrom("item_bylines").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", id).executeTakeFirstOrThrow(),
    db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("account_id", "=", id)
      .where("expires_at", ">", new Date().toISOString())
      .executeTakeFirstOrThrow(),
  ]);
  return { ...account, bylines: Number(bylines.n), sessions: Number(sessions.n) };
}

async function unitProblem(
  db: DB,
  role: RoleCode,
  unitId: number | null,
): Promise<string | null> {
  if (unitId === null) return roleUnitProblem(role, null);
  const unit = await db.selectFrom("units").select("active").where("id", "=", unitId).executeTakeFirst();
  if (!unit) return "所选单位不存在";
  return roleUnitProblem(role, { active: unit.active === 1 });
}

async function usernameTaken(db: DB, username: string): Promise<boolean> {
  // The column is COLLATE NOCASE: this comparison ignores case like the unique index does.
  return !!(await db.selectFrom("accounts").select("id").where("username", "=", username).executeTakeFirst());
}

const USERNAME_TAKEN = "用户名已存在";
export const ACCOUNT_NOT_FOUND = "该账号不存在。";

export async function createAccount(db: DB, input: AccountCreateInput, actor: AuditActor): Promise<SaveResult> {
  const precheck = async (q: DB) => {
    const fieldErrors: Record<string, string> = {};
    if (await usernameTaken(q, input.username)) fieldErrors.username = USERNAME_TAKEN;
    const unit = await unitProblem(q, input.role, input.unit_id);
    if (unit) fieldErrors.unit_id = unit;
    return fieldErrors;
  };
  // Checked before the (slow) hash, and again inside the transaction that writes.
  const early = fieldsRefusal(await precheck(db));
  if (early) return early;
  const passwordHash = await hashPassword(input.password);
  return refusingUniqueViolation("accounts.username", () => refusal(400, USERNAME_TAKEN, { field: "username" }), () =>
    db.transaction().execute(async (trx): Promise<SaveResult> => {
      const problems = fieldsRefusal(await precheck(trx));
      if (problems) return problems;
      const now = new Date();
      const { id } = await trx
        .insertInto("accounts")
        .values({
          username: input.username, display_name: input.display_name, phone: input.phone, role: input.role,
          unit_id: input.unit_id, password_hash: passwordHash, active: 1, must_change_password: 1,
          registered_on: shanghaiDate(now), created_at: now.toISOString(), updated_at: now.toISOString(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "account_created", entityType: "account", entityId: id,
        ip: actor.ip, at: now.toISOString(),
        detail: { username: input.username, display_name: input.display_name, role: input.role, unit_id: input.unit_id },
      });
      return { ok: true, id };
    }),
  );
}

/** `seen`: what the edit form showed of the account (accountSeen); one changed since is refused (409), nothing written. */
export async function updateAccount(db: DB, id: number, input: AccountEditInput & { seen?: string }, actor: AuditActor): Promise<SaveResult> {
  return db.transaction().execute(async (trx): Promise<SaveResult> => {
    const current = await trx
      .selectFrom("accounts")
      .select(["id", "display_name", "phone", "role", "unit_id"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!current) return refusal(404, ACCOUNT_NOT_FOUND);
    if (input.seen !== undefined && input.seen !== accountSeen(current)) return refusal(409, changedSinceShown("该账号的信息"));
    const fieldErrors: Record<string, string> = {};
    if (id === actor.id && input.role !== current.role) {
      fieldErrors.role = "不能修改自己的角色；如需调整，请由其他管理员操作";
    }
    // An account may stay in a unit that has since been deactivated; it may not be moved into one.
    if (input.role !== current.role || input.unit_id !== current.unit_id) {
      const problem = await unitProblem(trx, input.role, input.unit_id);
      if (problem) fieldErrors.unit_id = problem;
    }
    const problems = fieldsRefusal(fieldErrors);
    if (problems) return problems;
    const next = { display_name: input.display_name, phone: input.phone, role: input.role, unit_id: input.unit_id };
    const changes = changedFields(current, next);
    if (Object.keys(changes).length === 0) return { ok: true, id };
    const now = new Date().toISOString();
    await trx.updateTable("accounts").set({ ...next, updated_at: now }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "account_updated", entityType: "account", entityId: id,
      from: changes.role ? current.role : null, to: changes.role ? input.role : null,
      ip: actor.ip, at: now, detail: { changes },
    });
    return { ok: true, id };
  });
}

/**
 * Deactivating ends every session of the account at once; its items, bylines and points stay.
 * Reactivating needs the account's unit to be active again.
 */
export async function setAccountActive(db: DB, id: number, active: boolean, actor: AuditActor): Promise<ActiveResult> {
  if (id === actor.id && !active) {
    return refusal(409, "不能停用自己的账号；如需停用，请由其他管理员操作");
  }
  return db.transaction().execute(async (trx): Promise<ActiveResult> => {
    const current = await trx
      .selectFrom("accounts")
      .leftJoin("units", "units.id", "accounts.unit_id")
      .select(["accounts.id", "accounts.username", "accounts.active", "accounts.role", "units.active as unit_active"])
      .where("accounts.id", "=", id)
      .executeTakeFirst();
    if (!current) return refusal(404, ACCOUNT_NOT_FOUND);
    const flag = active ? 1 : 0;
    if (current.active === flag) return { ok: true, changed: false };
    if (active && current.unit_active === 0) {
      return refusal(409, "该账号所属单位已停用：请先启用该单位，或将账号调到其他单位后再启用");
    }
    const now = new Date().toISOString();
    await trx
      .updateTable("accounts")
      .set({ active: flag, deactivated_at: active ? null : now, updated_at: now })
      .where("id", "=", id)
      .execute();
    if (!active) await endSessionsOf(trx, id);
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: active ? "account_reactivated" : "account_deactivated",
      entityType: "account", entityId: id, from: active ? "inactive" : "active", to: active ? "active" : "inactive",
      ip: actor.ip, at: now, detail: { username: current.username },
    });
    return { ok: true, changed: true };
  });
}

/**
 * Sets a temporary password chosen by the admin: the person must change it at the next login,
 * and every session of the account ends now.
 */
export async function resetPassword(db: DB, id: number, password: string, actor: AuditActor): Promise<SaveResult> {
  if (id === actor.id) {
    return refusal(409, "不能在这里重置自己的密码，请使用“修改密码”页面");
  }
  const account = await db.selectFrom("accounts").select(["id", "username"]).where("id", "=", id).executeTakeFirst();
  if (!account) return refusal(404, ACCOUNT_NOT_FOUND);
  const problem = passwordProblem(password, account.username);
  if (problem) return refusal(400, problem, { field: "password" });
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx): Promise<SaveResult> => {
    const now = new Date().toISOString();
    const result = await trx
      .updateTable("accounts")
      .set({ password_hash: passwordHash, must_change_password: 1, updated_at: now })
      .where("id", "=", id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return refusal(404, ACCOUNT_NOT_FOUND);
    await endSessionsOf(trx, id);
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "password_reset", entityType: "account", entityId: id,
      ip: actor.ip, at: now, detail: { username: account.username },
    });
    return { ok: true, id };
  });
}
