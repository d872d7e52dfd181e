import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { formatShanghai, monthLabel } from "~/domain/time";
import { pageParam } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listReviewQueue } from "~/models/items.server";

export const meta: MetaFunction = () => [{ title: "稿件审核 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "item.review");
  const page = pageParam(new URL(request.url).searchParams);
  const list = await listReviewQueue(context.dbs.reader, { page });
  return json({ list, page, now: new Date().toISOString() });
}

function waited(from: string | null, now: string): string {
  if (!from) return "—";
  const hours = Math.floor((Date.parse(now) - Date.parse(from)) / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} 天` : `${hours} 小时`;
}

export default function ReviewQueue() {
  const { list, page, now } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>待审核稿件</h1>
        <span className="muted">按等待时间排序，最早的在前</span>
      </div>
      {list.rows.length === 0 ? (
        <p className="card muted">目前没有待审核的稿件。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th>标题</th>
                <th>单位</th>
                <th>类别</th>
                <th>栏目</th>
                <th>报送月份</th>
                <th>报送时间</th>
                <th>已等待</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((item) => (
                <tr key={item.id}>
                  <td data-label="标题">
                    {item.title}
                    {item.late ? <span className="badge badge--err" style={{ marginLeft: 6 }}>迟报</span> : null}
                  </td>
                  <td data-label="单位">{item.unit_name}</td>
                  <td data-label="类别">{item.kind_name}</td>
                  <td data-label="栏目">{item.category}</td>
                  <td data-label="报送月份">{item.report_month ? monthLabel(item.report_month) : "—"}</td>
                  <td data-label="报送时间">{item.submitted_at ? formatShanghai(item.submitted_at) : "—"}</td>
                  <td data-label="已等待">{waited(item.submitted_at, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
