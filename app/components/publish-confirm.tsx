// The pieces of a 签发 confirmation page (通报, 简报): why it cannot be signed yet, what will be
// frozen and made public, and the confirm / back buttons.
import { Link } from "~/components/link";
import type { ReactNode } from "react";

/** Why the document cannot be signed yet, with the way back to its draft; nothing when it can. */
export function PublishProblem({ problem, draftHref, className }: { problem: string | null; draftHref: string; className?: string }) {
  if (!problem) return null;
  return (
    <section className={className ? `card card--alert ${className}` : "card card--alert"} aria-labelledby="problem-title">
      <h2 id="problem-title">暂不能签发</h2>
      <p className="form-error">{problem}</p>
      <p className="small">
        <Link to={draftHref}>返回草稿修改</Link>
      </p>
    </section>
  );
}

/** "签发后将冻结并公开": the terms (dt/dd pairs) that will be frozen, and what 签发 means for them. */
export function FrozenOnPublish({ children, note }: { children: ReactNode; note: string }) {
  return (
    <section className="card" aria-labelledby="frozen-title">
      <h2 id="frozen-title">签发后将冻结并公开</h2>
      <dl className="meta-list">{children}</dl>
      <p className="muted small">{note}</p>
    </section>
  );
}

/** 确认签发 (disabled while sending or while there is a problem) and 返回. */
export function ConfirmPublishButtons({ disabled, backHref }: { disabled: boolean; backHref: string }) {
  return (
    <div className="button-row">
      <button type="submit" disabled={disabled}>
        确认签发
      </button>
      <Link to={backHref} className="button button--secondary">
        返回
      </Link>
    </div>
  );
}
