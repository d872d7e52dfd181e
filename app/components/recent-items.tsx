// The unit's latest items on its home page, with the way to all of them; a unit with none yet is
// shown the way to write its first (to its correspondent) rather than a link to an empty list.
import { DataTable } from "~/components/data-table";
import { Link } from "~/components/link";
import { ItemStatusBadges } from "~/components/status-badge";
import { formatShanghai, monthLabel } from "~/domain/time";

export interface RecentItem {
  id: number;
  title: string;
  status: string;
  last_reason: string;
  updated_at: string;
  report_month: string | null;
}

export function RecentItems({ items, canWrite }: { items: readonly RecentItem[]; canWrite: boolean }) {
  return (
    <>
      <h2>最近的稿件</h2>
      {items.length === 0 ? (
        <p className="muted">
          本单位还没有稿件。
          {canWrite ? <Link to="/items/new" className="tap-target">写第一篇稿件 →</Link> : null}
        </p>
      ) : (
        <>
          <DataTable
            rows={items}
            rowKey={(item) => item.id}
            columns={[
              { header: "标题", cell: (item) => <Link to={`/items/${item.id}`}>{item.title}</Link> },
              { header: "状态", cell: (item) => <ItemStatusBadges item={item} /> },
              { header: "报送月份", cell: (item) => (item.report_month ? monthLabel(item.report_month) : "—") },
              { header: "更新时间", cell: (item) => formatShanghai(item.updated_at) },
            ]}
          />
          <p>
            <Link to="/items" className="tap-target">查看本单位全部稿件 →</Link>
          </p>
        </>
      )}
    </>
  );
}
