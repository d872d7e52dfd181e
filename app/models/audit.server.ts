// The audit trail: one row per security-relevant or state-changing act.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { AuditAction } from "~/domain/audit-actions";
import type { Actor } from "~/domain/permissions";

/** Who makes a change, as its audit row names them. */
export interface AuditActor {
  id: number;
  username: string;
  ip: string;
}

/** Someone whose role and unit the rule of a change looks at (school roles act for their own unit). */
export interface ScopedActor extends AuditActor, Actor {}

export interface AuditEntry {
  actorId: number | null;
  actorName?: string;
  action: AuditAction;
  entityType?: string;
  entityId?: string | number;
  from?: string | null;
  to?: string | null;
  reason?: string;
  ip?: string;
  detail?: Record<string, unknown>;
  at?: string;
}

export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      at: entry.at ?? new Date().toISOString(),
      actor_id: entry.actorId,
      actor_name: entry.actorName ?? "",
      action: entry.action,
      entity_type: entry.entityType ?? "",
      entity_id: entry.entityId === undefined ? "" : String(entry.entityId),
      from_state: entry.from ?? null,
      to_state: entry.to ?? null,
      reason: entry.reason ?? "",
      ip: entry.ip ?? "",
      detail_json: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}
