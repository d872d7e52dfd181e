import { Link, useSearchParams } from "@remix-run/react";
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
