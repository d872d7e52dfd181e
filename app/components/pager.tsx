import { useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";
import { pageHref } from "~/lib/query";

export function Pager({ page, pages, total }: { page: number; pages: number; total: number }) {
  const [params] = useSearchParams();
  return (
    <nav className="pager" aria-label="分页">
      <span className="muted small">
        共 {total} 条 · 第 {page}/{pages} 页
      </span>
      {page > 1 ? <Link to={pageHref(params, page - 1)}>上一页</Link> : null}
      {page < pages ? <Link to={pageHref(params, page + 1)}>下一页</Link> : null}
    </nav>
  );
}

/** A page of a list: a note when it has no rows, else the rows as the page lays them out; then the pager. */
export function PagedList({
  list, page, empty, children,
}: {
  list: { rows: readonly unknown[]; pages: number; total: number };
  page: number;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      {list.rows.length === 0 ? <p className="card muted">{empty}</p> : children}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
