// Accounts: one person each; deactivated, never deleted, so their items and points stay theirs.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { recordAudit } from "~/models/audit.server";
import { endSessionsOf, hashSessionId } from "~/models/auth.server";
import { hashPassword, verifyPassword } from "~/models/password.server";

type DB = Kysely<Database>;

export type ChangePasswordResult = { ok: true } | { ok: false; field: "current_password"; message: string };

/** Changes one's own password; other sessions of the account end, this one stays. */
export async function changeOwnPassword(
  db: DB,
  input: { accountId: number; current: string; next: string; sessionId: string; ip: string },
): Promise<ChangePasswordResult> {
  const account = await db.selectFrom("accounts").select(["password_hash", "username"]).where("id", "=", input.accountId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.current, account.password_hash))) {
    return { ok: false, field: "current_password", message: "当前密码不正确" };
  }
  const passwordHash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("accounts")
      .set({ password_hash: passwordHash, must_change_password: 0, updated_at: new Date().toISOString() })
      .where("id", "=", input.accountId)
      .execute();
    await trx
      .deleteFrom("sessions")
      .where("account_id", "=", input.accountId)
      .where("id_hash", "!=", hashSessionId(input.sessionId))
      .execute();
    await recordAudit(trx, {
      actorId: input.accountId, actorName: account.username, action: "password_changed", entityType: "account",
      entityId: input.accountId, ip: input.ip,
    });
  });
  return { ok: true };
}

export { endSessionsOf };
