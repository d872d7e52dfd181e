import { ITEM_STATUSES, nameOf } from "~/domain/catalog";
import { sentBackForChanges } from "~/domain/workflow";

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

/** An item's status, and 退回修改 beside 草稿 when it was sent back with a reason and waits to be changed. */
export function ItemStatusBadges({ item }: { item: { status: string; last_reason: string } }) {
  return (
    <>
      <StatusBadge status={item.status} />
      {sentBackForChanges(item) ? <> <span className="badge badge--warn">退回修改</span></> : null}
    </>
  );
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
