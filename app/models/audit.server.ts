// The audit trail: one row per security-relevant or state-changing act.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { AuditAction } from "~/domain/audit-actions";

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
