import { ITEM_STATUSES, nameOf } from "~/domain/catalog";

const TONE: Record<string, string> = {
  adopted: "badge--ok",
  submitted: "badge--warn",
  pending_school: "badge--warn",
  rejected: "badge--err",
  withdrawn: "badge--err",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${TONE[status] ?? ""}`}>{nameOf(ITEM_STATUSES, status)}</span>;
}

/** Whether a unit, account or word is in use. */
export function ActiveBadge({ active }: { active: boolean }) {
  return active ? <span className="badge badge--ok">启用</span> : <span className="badge badge--err">已停用</span>;
}

/** The "状态" filter of the admin lists. */
export const ACTIVE_STATUS_CHOICES = [
  { value: "active", label: "启用" },
  { value: "inactive", label: "已停用" },
];
