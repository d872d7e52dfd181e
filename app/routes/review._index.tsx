import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { columnHelper, DataTable } from "~/components/data-table";
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

type QueueRow = SerializeFrom<typeof loader>["list"]["rows"][number];
const helper = columnHelper<QueueRow>();

export default function ReviewQueue() {
  const { list, page, now } = useLoaderData<typeof loader>();
  const columns = useMemo(
    () => [
      helper.accessor("title", {
        header: "标题",
        cell: (info) => (
          <>
            {info.getValue()}
            {info.row.original.late ? <span className="badge badge--err" style={{ marginLeft: 6 }}>迟报</span> : null}
          </>
        ),
      }),
      helper.accessor("unit_name", { header: "单位" }),
      helper.accessor("kind_name", { header: "类别" }),
      helper.accessor("category", { header: "栏目" }),
      helper.accessor("report_month", { header: "报送月份", cell: (info) => (info.getValue() ? monthLabel(info.getValue()!) : "—") }),
      helper.accessor("submitted_at", { header: "报送时间", cell: (info) => (info.getValue() ? formatShanghai(info.getValue()!) : "—") }),
      helper.display({ id: "waited", header: "已等待", cell: (info) => waited(info.row.original.submitted_at, now) }),
    ],
    [now],
  );
  return (
    <>
      <div className="page-head">
        <h1>待审核稿件</h1>
        <span className="muted">按等待时间排序，最早的在前</span>
      </div>
      {list.rows.length === 0 ? (
        <p className="card muted">目前没有待审核的稿件。</p>
      ) : (
        <DataTable columns={columns} data={list.rows} caption="待审核稿件" />
      )}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
