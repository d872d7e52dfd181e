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
      {page > 1 ? <Link to={pageHref(params, Math.min(page - 1, pages))}>上一页</Link> : null}
      {page < pages ? <Link to={pageHref(params, page + 1)}>下一页</Link> : null}
    </nav>
  );
}

/**
 * A page of a list: a note when it has no rows, else the rows as the page lays them out; then the pager.
 * A page past the last one (an old link, a typed address) says so and links to the last page, rather
 * than saying the list is empty.
 */
export function PagedList({
  list, page, empty, children,
}: {
  list: { rows: readonly unknown[]; pages: number; total: number };
  page: number;
  empty: ReactNode;
  children: ReactNode;
}) {
  const [params] = useSearchParams();
  const beyond = list.rows.length === 0 && list.total > 0 && page > list.pages;
  return (
    <>
      {beyond ? (
        <p className="card muted">
          没有第 {page} 页：共 {list.total} 条，只有 {list.pages} 页。<Link to={pageHref(params, list.pages)}>转到第 {list.pages} 页</Link>
        </p>
      ) : list.rows.length === 0 ? (
        <p className="card muted">{empty}</p>
      ) : (
        children
      )}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
