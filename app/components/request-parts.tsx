// Pieces of the 约稿 pages: an outcome badge, a request's status badge, the home page's card.
import { Link } from "~/components/link";
import type { RequestOutcome, RequestStatusFilter } from "~/domain/requests";
import { formatShanghai } from "~/domain/time";

const OUTCOME_TONE: Record<RequestOutcome, string> = {
  fulfilled: "badge--ok", declined: "", open: "", awaiting: "badge--warn", late: "badge--err", missed: "badge--err",
};

export function OutcomeBadge({ outcome, name }: { outcome: RequestOutcome | null; name: string }) {
  return <span className={`badge ${outcome ? OUTCOME_TONE[outcome] : ""}`}>{name}</span>;
}

const STATUS_NAMES: Record<RequestStatusFilter, string> = { open: "进行中", closed: "已截止", cancelled: "已取消" };

export function RequestStatusBadge({ status }: { status: RequestStatusFilter }) {
  return <span className={`badge ${status === "open" ? "badge--warn" : status === "cancelled" ? "" : "badge--ok"}`}>{STATUS_NAMES[status]}</span>;
}

/** The open 约稿 addressed to the viewer's unit, on its home page. */
export function OpenRequestsCard({ requests }: { requests: Array<{ id: number; topic: string; dueAt: string; timeLeft: string }> }) {
  if (requests.length === 0) return null;
  return (
    <section className="callout" aria-labelledby="open-requests-title">
      <h2 id="open-requests-title" style={{ marginTop: 0 }}>
        待完成的约稿（{requests.length}）
      </h2>
      <ul>
        {requests.map((r) => (
          <li key={r.id}>
            <Link to={`/requests/${r.id}`}>{r.topic}</Link>
            <span className="muted small">
              {" "}
              · 截止 {formatShanghai(r.dueAt)} · <strong>{r.timeLeft}</strong>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
