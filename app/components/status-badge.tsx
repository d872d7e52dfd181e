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
