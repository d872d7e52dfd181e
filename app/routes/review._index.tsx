import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Link } from "~/components/link";
import { useMemo } from "react";
import { FilterBar } from "~/components/filter-bar";
import { formStateOf } from "~/components/form-kit";
import { SortableDataTable, sortableColumnHelper } from "~/components/sortable-tables";
import { Marked, SearchNote } from "~/components/search-hits";
import { BulkDecisionBar, BulkResult } from "~/components/review-forms";
import { StatusBadge } from "~/components/status-badge";
import { GRADES, nameOf } from "~/domain/catalog";
import { refusal } from "~/domain/refusal";
import {
  bulkAdoptSchema,
  bulkReturnSchema,
  fromSuffix,
  parseBulkPicks,
  QUEUE_SORTS,
  QUEUE_STATUSES,
  queueSearch,
  waitedLabel,
  type QueueSort,
} from "~/domain/review";
import { SEARCH_MAX } from "~/domain/search";
import { formatShanghai, monthLabel } from "~/domain/time";
import { refused } from "~/lib/action-data.server";
import { unitFilterView } from "~/domain/unit-pick";
import { redirectWithFlash } from "~/lib/flash.server";
import { invalid, parseForm, readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { decideItems, listReviewQueue } from "~/models/review.server";

export const meta: MetaFunction = () => [{ title: "稿件审核 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "item.review");
  const { choices: { units, ...choices }, unitPick, ...queue } = await listReviewQueue(context.dbs.reader, new URL(request.url).searchParams);
  return { ...queue, choices, unitFilter: unitFilterView(units, unitPick), now: new Date().toISOString() };
}

/**
 * One decision on the ticked rows (`ids`: id:version each). Every item is decided on its own; when
 * all went through the reviewer is back on the same view with a note, otherwise the page lists
 * item by item what was done and what was not (409: someone else handled it first).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "item.review");
  const form = await readForm(request, { repeatable: ["ids"] });
  const intent = String(form.get("intent") ?? "");
  let decision: { action: "adopt"; grade: "excellent" | "good" | "fair" } | { action: "return"; reason: string };
  const picks = parseBulkPicks(form.getAll("ids"));
  // Nothing ticked and no grade (or reason): both said at once, so one correction is enough.
  const pickErrors = picks.ok ? {} : picks.fieldErrors;
  if (intent === "bulk_adopt") {
    const parsed = parseForm(form, bulkAdoptSchema());
    if (!parsed.ok) return invalid({ ...parsed, fieldErrors: { ...pickErrors, ...parsed.fieldErrors }, intent });
    decision = { action: "adopt", grade: parsed.data.grade };
  } else if (intent === "bulk_return") {
    const parsed = parseForm(form, bulkReturnSchema());
    if (!parsed.ok) return invalid({ ...parsed, fieldErrors: { ...pickErrors, ...parsed.fieldErrors }, intent });
    decision = { action: "return", reason: parsed.data.reason };
  } else {
    return refused(refusal(400, "未知的操作，请刷新页面后重试。"), { intent });
  }
  if (!picks.ok) return refused(picks, { intent, form });
  const { done, refused: notDone } = await decideItems(context.dbs.db, { ...decision, actor: user, ip: context.ip, picks: picks.picks });
  const what = decision.action === "adopt" ? `采用（${nameOf(GRADES, decision.grade)}）` : "退回修改";
  const summary = `已${what} ${done.length} 篇稿件${notDone.length ? `，${notDone.length} 篇未处理` : ""}。`;
  if (notDone.length === 0) {
    const back = new URL(request.url).searchParams;
    back.delete("index");
    const search = back.toString();
    return redirectWithFlash(`/review${search ? `?${search}` : ""}`, summary);
  }
  return data({ ok: true as const, intent, summary, done, refused: notDone }, { status: done.length === 0 ? 409 : 200 });
}

/** The queue is read again after every decision, a refused one too (items may have moved). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" ? true : defaultShouldRevalidate;

type Data = SerializeFrom<typeof loader>;
type QueueRow = Data["rows"][number];
const helper = sortableColumnHelper<QueueRow>();

export default function ReviewQueue() {
  const { rows, total, pages, waiting, filters, choices, unitFilter, now, note } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const bulk = answer && answer.ok ? answer : null;
  const from = fromSuffix(filters);
  const selectable = rows.some((r) => r.status === "submitted");
  const columns = useMemo(
    () => [
      helper.accessor("title", {
        id: "title",
        header: "标题",
        sortDescFirst: false,
        meta: { primary: true },
        cell: (info) => (
          <span className="queue-title">
            <Link to={`/review/${info.row.original.id}${from}`}>
              {info.row.original.marks ? <Marked segments={info.row.original.marks.title} /> : info.getValue()}
            </Link>
            {info.row.original.late ? <span className="badge badge--err">迟报</span> : null}
            {info.row.original.marks ? (
              <span className="muted small search-excerpt">
                <Marked segments={info.row.original.marks.excerpt} />
              </span>
            ) : null}
          </span>
        ),
      }),
      helper.accessor("unit_name", { id: "unit", header: "单位", sortDescFirst: false, meta: { nowrap: true } }),
      helper.accessor("kind_name", { id: "kind", header: "单位类别", enableSorting: false, meta: { nowrap: true } }),
      helper.accessor("category", { id: "category", header: "栏目", enableSorting: false, meta: { nowrap: true } }),
      helper.accessor("report_month", {
        id: "month",
        header: "报送月份",
        enableSorting: false,
        meta: { nowrap: true },
        cell: (info) => (info.getValue() ? monthLabel(info.getValue()!) : "—"),
      }),
      helper.accessor("submitted_at", {
        id: "submitted",
        header: "报送时间",
        sortDescFirst: true,
        meta: { nowrap: true },
        cell: (info) => (info.getValue() ? formatShanghai(info.getValue()!) : "—"),
      }),
      helper.accessor("submitted_at", {
        id: "waiting",
        header: "已等待",
        sortDescFirst: true,
        cell: (info) =>
          info.row.original.status === "submitted" && info.getValue() ? waitedLabel(info.getValue()!, now) : "—",
      }),
      helper.accessor("status", {
        id: "status",
        header: "状态",
        enableSorting: false,
        cell: (info) => (
          <span>
            {info.getValue() === "draft" ? (
              <span className="badge badge--warn">退回修改中</span>
            ) : (
              <StatusBadge status={info.getValue()} />
            )}
            {info.row.original.grade ? <span className="muted small"> {nameOf(GRADES, info.row.original.grade)}</span> : null}
          </span>
        ),
      }),
    ],
    [now, from],
  );
  const sortHref = (columnId: string, desc: boolean) =>
    queueSearch(filters, { sort: columnId as QueueSort, dir: desc ? "desc" : "asc", page: 1 });
  const statusName = QUEUE_STATUSES.find((s) => s.code === filters.status)!.name;
  const sortRule = QUEUE_SORTS.find((s) => s.code === filters.sort)!;
  // The default order is left blank in the bar, so a keyword typed into it gets its own default
  // (relevance) instead of the order the untouched select would send.
  const defaultSort = QUEUE_SORTS.find((s) => s.code === (filters.q ? "relevance" : "waiting"))!;
  const isDefault = filters.sort === defaultSort.code && filters.dir === defaultSort.defaultDir;
  const barValues = { ...filters, sort: isDefault ? "" : filters.sort, dir: isDefault ? "" : filters.dir };

  return (
    <>
      <div className="page-head">
        <h1>稿件审核</h1>
        <p className="waiting-total">
          待审核 <strong>{waiting}</strong> 条
          {filters.status !== "submitted" ? (
            <>
              {" · "}
              <Link to="/review">查看待审核</Link>
            </>
          ) : null}
        </p>
      </div>

      {bulk ? <BulkResult summary={bulk.summary} done={bulk.done} refused={bulk.refused} /> : null}

      <FilterBar
        label="筛选和排序"
        className="filters--grid"
        values={barValues}
        fields={[
          { type: "search", name: "q", label: "关键词", placeholder: "标题或正文中的字词", maxLength: SEARCH_MAX },
          { name: "status", label: "状态", options: QUEUE_STATUSES.map((s) => ({ value: s.code, label: s.name })) },
          { name: "kind", label: "单位类别", all: "全部类别", options: choices.kinds.map((k) => ({ value: k.code, label: k.name })) },
          {
            type: "unit",
            name: "unit",
            label: "单位",
            all: "全部单位",
            view: unitFilter,
            groups: unitFilter.mode === "select"
              ? choices.kinds.map((k) => ({
                  label: k.name,
                  options: unitFilter.units
                    .filter((u) => u.kind_code === k.code)
                    .map((u) => ({ value: u.id, label: `${u.name}${u.active ? "" : "（已停用）"}` })),
                }))
              : undefined,
          },
          { name: "category", label: "栏目", all: "全部栏目", options: choices.categories.map((c) => ({ value: c.id, label: c.name })) },
          { name: "month", label: "报送月份", all: "全部月份", options: choices.months.map((m) => ({ value: m, label: monthLabel(m) })) },
          {
            name: "sort",
            label: "排序",
            all: `默认（${defaultSort.name}）`,
            options: QUEUE_SORTS.filter((s) => filters.q || s.code !== "relevance").map((s) => ({ value: s.code, label: s.name })),
          },
          { name: "dir", label: "顺序", all: "默认", options: [{ value: "desc", label: "降序" }, { value: "asc", label: "升序" }] },
        ]}
      />

      <SearchNote note={note} />
      <p className="muted small" aria-live="polite">
        {statusName}
        {filters.q ? `中含“${filters.q}”的` : ""}：共 {total} 条，按{sortRule.name}
        {filters.sort === "relevance"
          ? "（最相关的在前）"
          : filters.sort === "waiting"
          ? filters.dir === "desc" ? "（等待最久的在前）" : "（最新到达的在前）"
          : filters.dir === "desc" ? "降序" : "升序"}
        排列
      </p>

      {rows.length === 0 ? (
        <p className="card muted">{filters.status === "submitted" ? "目前没有符合条件的待审核稿件。" : "没有符合条件的稿件。"}</p>
      ) : (
        <Form method="post" className="bulk-form">
          <SortableDataTable
            columns={columns}
            data={rows}
            caption={`${statusName}稿件`}
            sort={{ id: filters.sort, desc: filters.dir === "desc" }}
            sortHref={sortHref}
            select={
              selectable
                ? {
                    name: "ids",
                    label: "选择",
                    value: (row) => (row.status === "submitted" ? `${row.id}:${row.version}` : null),
                    rowLabel: (row) => row.title,
                  }
                : undefined
            }
          />
          {selectable ? (
            <BulkDecisionBar adopt={formStateOf(answer, "bulk_adopt", "bulk-adopt-")} sendBack={formStateOf(answer, "bulk_return", "bulk-return-")} />
          ) : null}
        </Form>
      )}
      <nav className="pager" aria-label="分页">
        <span className="muted small">
          共 {total} 条 · 第 {filters.page}/{pages} 页
        </span>
        {filters.page > 1 ? <Link to={queueSearch(filters, { page: filters.page - 1 })}>上一页</Link> : null}
        {filters.page < pages ? <Link to={queueSearch(filters, { page: filters.page + 1 })}>下一页</Link> : null}
      </nav>
    </>
  );
}
