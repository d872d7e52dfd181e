// /rankings/2026-10: a month's league tables; /rankings/2026: the year to date.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { channelFiguresText } from "~/domain/channels";
import { rankingColumnHelper, RankingTable } from "~/components/ranking-table";
import { QUOTA_STATUS_NAMES } from "~/domain/points";
import { roleNeedsUnit } from "~/domain/permissions";
import { CROSS_KIND, parsePeriod, parseTableQuery, percentText, periodLabel, periodNav, pointsText, viewFor } from "~/domain/rankings-view";
import { addMonths, formatShanghai, monthLabel } from "~/domain/time";
import { notFound, requirePermission } from "~/lib/session.server";
import { rankingsFor } from "~/models/rankings.server";
import rankingStyles from "~/styles/rankings.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: rankingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `排行榜 ${data ? data.label : ""} - 教育信息报送平台` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "rankings.view");
  const view = await rankingsFor(context.dbs.reader, params.period ?? "");
  if (!view) notFound("没有这个时间段的排行榜：请从“排行榜”页面选择月份或年度。");
  const period = parsePeriod(view.period)!;
  const viewer = { accountId: user.id, unitId: roleNeedsUnit(user.role) ? user.unitId : null };
  return {
    ...viewFor(view, viewer, undefined, parseTableQuery(new URL(request.url).searchParams)),
    label: periodLabel(period),
    nav: periodNav(period, view.bounds),
  };
}

type Data = SerializeFrom<typeof loader>;
type UnitRow = Data["kinds"][number]["rows"][number];
type CrossRow = Data["crossKind"][number];
type PersonRow = Data["correspondents"][number];

const unitHelper = rankingColumnHelper<UnitRow>();
const crossHelper = rankingColumnHelper<CrossRow>();
const personHelper = rankingColumnHelper<PersonRow>();

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const STATUS_ORDER = { met: 3, short: 2, none: 1 } as const;
/** ↑3 → 3, ↓2 → −2, — → 0, 新 → below every number. */
const movementValue = (m: string) => (m.startsWith("↑") ? Number(m.slice(1)) : m.startsWith("↓") ? -Number(m.slice(1)) : m === "—" ? 0 : -1e6);

function RankCell({ rank, tied }: { rank: number; tied: boolean }) {
  return (
    <span className="rank-no">
      <strong>{rank}</strong>
      {tied ? <span className="rank-tied">并列</span> : null}
    </span>
  );
}

function Movement({ value }: { value: string }) {
  const spoken =
    value === "新" ? "新上榜" : value === "—" ? "名次不变" : value.startsWith("↑") ? `上升${value.slice(1)}名` : `下降${value.slice(1)}名`;
  const tone = value.startsWith("↑") ? "up" : value.startsWith("↓") ? "down" : "same";
  return (
    <span className={`move move--${tone}`} title={spoken}>
      <span aria-hidden="true">{value}</span>
      <span className="sr-only">{spoken}</span>
    </span>
  );
}

function StatusText({ status }: { status: "met" | "short" | "none" }) {
  const tone = status === "met" ? "badge--ok" : status === "short" ? "badge--warn" : "badge--err";
  return <span className={`badge ${tone}`}>{QUOTA_STATUS_NAMES[status]}</span>;
}

function UnitName({ name, own, marker = "本单位" }: { name: string; own: boolean; marker?: string }) {
  return (
    <span className="rank-unit">
      {name}
      {own ? <span className="own-marker">{marker}</span> : null}
    </span>
  );
}

/** One column per channel: "报送/采用" in the bureau's channel order. */
function channelColumns(channels: ReadonlyArray<{ id: number; name: string }>) {
  return channels.map((c, i) =>
    unitHelper.accessor((r) => r.channels?.[i]?.adopted ?? 0, {
      id: `channel-${c.id}`,
      // Two short lines keep the column narrow; a phone card labels the cell with the whole name.
      header: () => (
        <span className="channel-head">
          {c.name}
          <small>报送/采用</small>
        </span>
      ),
      sortDescFirst: true,
      meta: { numeric: true, label: `${c.name}（报送/采用）` },
      cell: (info) => {
        const counts = info.row.original.channels?.[i];
        return counts ? `${counts.submitted}/${counts.adopted}` : "0/0";
      },
    }),
  );
}

function unitColumns(scope: "month" | "year", channels: ReadonlyArray<{ id: number; name: string }> = []) {
  const status =
    scope === "month"
      ? [
          unitHelper.accessor((r) => (r.status ? STATUS_ORDER[r.status] : 0), {
            id: "status",
            header: "状态",
            sortDescFirst: true,
            cell: (info) => (info.row.original.status ? <StatusText status={info.row.original.status} /> : "—"),
          }),
        ]
      : [
          unitHelper.accessor((r) => r.months?.met ?? 0, { id: "met", header: "达标月数", sortDescFirst: true, meta: { numeric: true } }),
          unitHelper.accessor((r) => r.months?.short ?? 0, { id: "short", header: "未达标月数", sortDescFirst: true, meta: { numeric: true } }),
          unitHelper.accessor((r) => r.months?.none ?? 0, { id: "none", header: "不报月数", sortDescFirst: true, meta: { numeric: true } }),
        ];
  return [
    unitHelper.accessor("rank", {
      id: "rank",
      header: "名次",
      sortDescFirst: false,
      sortFn: (a, b) => a.original.rank - b.original.rank || byCode(a.original, b.original),
      meta: { lead: "rank" },
      cell: (info) => <RankCell rank={info.getValue()} tied={info.row.original.tied} />,
    }),
    unitHelper.accessor("name", {
      id: "name",
      header: "单位",
      sortDescFirst: false,
      sortFn: (a, b) => a.original.name.localeCompare(b.original.name, "zh-CN"),
      meta: { lead: "name" },
      cell: (info) => <UnitName name={info.getValue()} own={info.row.original.own} />,
    }),
    unitHelper.accessor("quota", { id: "quota", header: "任务数", sortDescFirst: true, meta: { numeric: true } }),
    unitHelper.accessor("submitted", { id: "submitted", header: "报送", sortDescFirst: true, meta: { numeric: true } }),
    unitHelper.accessor("adopted", { id: "adopted", header: "采用", sortDescFirst: true, meta: { numeric: true } }),
    ...channelColumns(channels),
    unitHelper.accessor("completion", {
      id: "completion",
      header: "完成率",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => percentText(info.getValue()),
    }),
    unitHelper.accessor("late", { id: "late", header: "迟报", sortDescFirst: true, meta: { numeric: true } }),
    ...status,
    unitHelper.accessor("points", {
      id: "points",
      header: "积分",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => <strong>{pointsText(info.getValue())}</strong>,
    }),
    unitHelper.accessor((r) => movementValue(r.movement), {
      id: "movement",
      header: "变化",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => <Movement value={info.row.original.movement} />,
    }),
  ];
}

function crossColumns(scope: "month" | "year") {
  return [
    crossHelper.accessor("rank", {
      id: "rank",
      header: "名次",
      sortDescFirst: false,
      sortFn: (a, b) => a.original.rank - b.original.rank || byCode(a.original, b.original),
      meta: { lead: "rank" },
      cell: (info) => <RankCell rank={info.getValue()} tied={info.row.original.tied} />,
    }),
    crossHelper.accessor("name", {
      id: "name",
      header: "单位",
      sortDescFirst: false,
      sortFn: (a, b) => a.original.name.localeCompare(b.original.name, "zh-CN"),
      meta: { lead: "name" },
      cell: (info) => <UnitName name={info.getValue()} own={info.row.original.own} />,
    }),
    crossHelper.accessor("kindName", { id: "kind", header: "类别", sortDescFirst: false }),
    crossHelper.accessor("quota", { id: "quota", header: "任务数", sortDescFirst: true, meta: { numeric: true } }),
    crossHelper.accessor("adopted", { id: "adopted", header: "采用", sortDescFirst: true, meta: { numeric: true } }),
    crossHelper.accessor("completion", {
      id: "completion",
      header: "完成率",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => <strong>{percentText(info.getValue())}</strong>,
    }),
    scope === "month"
      ? crossHelper.accessor((r) => (r.status ? STATUS_ORDER[r.status] : 0), {
          id: "status",
          header: "状态",
          sortDescFirst: true,
          cell: (info) => (info.row.original.status ? <StatusText status={info.row.original.status} /> : "—"),
        })
      : crossHelper.accessor((r) => r.months?.met ?? 0, { id: "met", header: "达标月数", sortDescFirst: true, meta: { numeric: true } }),
    crossHelper.accessor("kindRank", {
      id: "kindRank",
      header: "类别内名次",
      sortDescFirst: false,
      meta: { numeric: true },
      cell: (info) => (info.row.original.kindTied ? `${info.getValue()}（并列）` : info.getValue()),
    }),
  ];
}

const personColumns = [
  personHelper.accessor("rank", {
    id: "rank",
    header: "名次",
    sortDescFirst: false,
    sortFn: (a, b) => a.original.rank - b.original.rank,
    meta: { lead: "rank" },
    cell: (info) => <RankCell rank={info.getValue()} tied={info.row.original.tied} />,
  }),
  personHelper.accessor("displayName", {
    id: "name",
    header: "姓名",
    sortDescFirst: false,
    sortFn: (a, b) => a.original.displayName.localeCompare(b.original.displayName, "zh-CN"),
    meta: { lead: "name" },
    cell: (info) => (
      <span className="rank-unit">
        {info.getValue()}
        {info.row.original.active ? null : <span className="muted small">（已停用）</span>}
        {info.row.original.own ? <span className="own-marker">本人</span> : null}
      </span>
    ),
  }),
  personHelper.accessor("unitName", {
    id: "unit",
    header: "单位",
    sortDescFirst: false,
    meta: { wide: true },
    sortFn: (a, b) => a.original.unitName.localeCompare(b.original.unitName, "zh-CN"),
  }),
  personHelper.accessor("items", {
    id: "items",
    header: "采用稿件",
    sortDescFirst: true,
    meta: { numeric: true },
    cell: (info) => pointsText(info.getValue()),
  }),
  personHelper.accessor("points", {
    id: "points",
    header: "积分",
    sortDescFirst: true,
    meta: { numeric: true },
    cell: (info) => <strong>{pointsText(info.getValue())}</strong>,
  }),
];

function Banner({ data }: { data: Data }) {
  if (data.scope === "month") {
    return data.provisional ? (
      <div className="rank-banner rank-banner--provisional" role="status">
        <strong>暂定（该月尚未结算）</strong>
        <span>名次随稿件审核实时变化，以月度结算后的结果为准。</span>
      </div>
    ) : (
      <div className="rank-banner rank-banner--closed" role="status">
        <strong>已于 {formatShanghai(data.closedAt!)} 结算</strong>
        <span>本月数据已冻结，此后的稿件变动和规则调整不再影响本榜。</span>
      </div>
    );
  }
  const range = `${monthLabel(data.months[0])}至${Number(data.months.at(-1)!.slice(5))}月`;
  return data.provisional ? (
    <div className="rank-banner rank-banner--provisional" role="status">
      <strong>暂定（{data.openMonths.map(monthLabel).join("、")}尚未结算）</strong>
      <span>统计范围：{range}，共 {data.months.length} 个月；未结算月份按当前数据计入。</span>
    </div>
  ) : (
    <div className="rank-banner rank-banner--closed" role="status">
      <strong>所含月份均已结算</strong>
      <span>统计范围：{range}，共 {data.months.length} 个月。</span>
    </div>
  );
}

function PeriodNav({ data }: { data: Data }) {
  const { nav, scope, bounds } = data;
  const months: string[] = [];
  for (let m = bounds.current; m >= bounds.first; m = addMonths(m, -1)) months.push(m);
  const years = [...new Set(months.map((m) => m.slice(0, 4)))];
  const unit = scope === "month" ? "月" : "年";
  return (
    <nav className="rank-nav" aria-label="选择时间段">
      <div className="rank-nav__steps">
        {nav.previous ? (
          <Link className="button button--secondary button--small" to={`/rankings/${nav.previous}`} prefetch="intent">
            ← 上一{unit}
          </Link>
        ) : (
          <span className="button button--secondary button--small is-disabled" aria-disabled="true">
            ← 上一{unit}
          </span>
        )}
        {nav.next ? (
          <Link className="button button--secondary button--small" to={`/rankings/${nav.next}`} prefetch="intent">
            下一{unit} →
          </Link>
        ) : (
          <span className="button button--secondary button--small is-disabled" aria-disabled="true">
            下一{unit} →
          </span>
        )}
        {scope === "month" ? (
          <Link className="rank-nav__switch" to={`/rankings/${nav.year}`}>
            {nav.year}年度累计
          </Link>
        ) : (
          <Link className="rank-nav__switch" to={`/rankings/${nav.month}`}>
            查看{monthLabel(nav.month)}月榜
          </Link>
        )}
      </div>
      <Form method="get" action="/rankings" className="rank-nav__pick">
        <label htmlFor="rank-period">时间段</label>
        <select id="rank-period" name="period" defaultValue={data.period}>
          <optgroup label="月度">
            {months.map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}
              </option>
            ))}
          </optgroup>
          <optgroup label="年度累计">
            {years.map((y) => (
              <option key={y} value={y}>
                {y}年度累计
              </option>
            ))}
          </optgroup>
        </select>
        <button type="submit" className="button--small">
          查看
        </button>
      </Form>
    </nav>
  );
}

/** "?kind=…&page=…&q=…" for a table page (kind and search kept unless replaced). */
function tableHref(data: Data, change: { kind?: string; page?: number; q?: string }) {
  const p = data.paging!;
  const params = new URLSearchParams();
  params.set("kind", change.kind ?? p.kind);
  const q = change.q ?? (change.kind && change.kind !== p.kind ? "" : p.q);
  if (q) params.set("q", q);
  const page = change.page ?? 1;
  if (page > 1) params.set("page", String(page));
  return `?${params.toString()}`;
}

/** A large county: which table, a search by name or code, the viewer's own unit, and the pages. */
function TablePicker({ data }: { data: Data }) {
  const p = data.paging;
  if (!p) return null;
  return (
    <nav className="rank-tables" aria-label="选择排行表">
      <ul className="rank-tables__tabs">
        {p.tables.map((t) => (
          <li key={t.code}>
            <Link to={tableHref(data, { kind: t.code })} aria-current={t.code === p.kind ? "page" : undefined} className={t.code === p.kind ? "is-current" : undefined}>
              {t.name}
              <span className="muted small">（{t.units}）</span>
            </Link>
          </li>
        ))}
      </ul>
      <Form method="get" className="rank-tables__search" role="search">
        <input type="hidden" name="kind" value={p.kind} />
        <label htmlFor="rank-q">查找单位</label>
        <input id="rank-q" name="q" type="search" defaultValue={p.q} placeholder="单位名称或代码" maxLength={50} />
        <button type="submit" className="button--small">查找</button>
        {p.q ? <Link to={tableHref(data, { q: "" })}>清除查找</Link> : null}
        {p.own ? (
          <Link className="button button--secondary button--small" to={`${tableHref(data, { kind: p.own.kind, page: p.own.page, q: "" })}#own-row`}>
            我的单位
          </Link>
        ) : null}
      </Form>
    </nav>
  );
}

function Pager({ data }: { data: Data }) {
  const p = data.paging;
  if (!p) return null;
  return (
    <nav className="rank-pager" aria-label="翻页">
      <span>
        {p.q ? `“${p.q}”共找到 ${p.matches} 个单位，` : `共 ${p.matches} 个单位，`}第 {p.page} / {p.pages} 页（每页 {p.pageSize} 个）
      </span>
      {p.page > 1 ? <Link to={tableHref(data, { page: 1 })}>首页</Link> : null}
      {p.page > 1 ? <Link to={tableHref(data, { page: p.page - 1 })}>上一页</Link> : null}
      {p.page < p.pages ? <Link to={tableHref(data, { page: p.page + 1 })}>下一页</Link> : null}
      {p.page < p.pages ? <Link to={tableHref(data, { page: p.pages })}>末页</Link> : null}
    </nav>
  );
}

function OwnUnit({ data }: { data: Data }) {
  const own = data.ownUnit;
  if (!own) return null;
  return (
    <section className="card rank-own" aria-labelledby="own-unit-title">
      <h2 id="own-unit-title">
        本单位：{own.name}
        <span className="muted small">（{own.kindName}）</span>
      </h2>
      <dl className="rank-own__facts">
        <div>
          <dt>类别内名次</dt>
          <dd>
            {own.rank}
            {own.tied ? "（并列）" : ""} / {own.unitsInKind}
          </dd>
        </div>
        <div>
          <dt>积分</dt>
          <dd>{pointsText(own.points)}</dd>
        </div>
        <div>
          <dt>采用 / 任务数</dt>
          <dd>
            {own.adopted} / {own.quota}
          </dd>
        </div>
        <div>
          <dt>完成率</dt>
          <dd>{percentText(own.completion)}</dd>
        </div>
        <div>
          <dt>{own.status ? "状态" : "达标/未达标/不报（月）"}</dt>
          <dd>{own.status ? QUOTA_STATUS_NAMES[own.status] : `${own.months?.met ?? 0} / ${own.months?.short ?? 0} / ${own.months?.none ?? 0}`}</dd>
        </div>
        <div>
          <dt>变化</dt>
          <dd>
            <Movement value={own.movement} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

export default function Rankings() {
  const data = useLoaderData<typeof loader>();
  const unitCols = useMemo(() => unitColumns(data.scope, data.channels), [data.scope, data.channels]);
  const crossCols = useMemo(() => crossColumns(data.scope), [data.scope]);
  const ownClass = (r: { own: boolean }) => (r.own ? "own-row" : undefined);
  const download = `/rankings/${data.period}`;
  const scopeWord = data.scope === "month" ? "本月" : "年度累计";

  return (
    <>
      <div className="page-head">
        <h1>
          排行榜 <span className="rank-period">{data.label}</span>
        </h1>
        <div className="button-row">
          <a className="button button--secondary button--small" href={`${download}.xlsx`} download>
            下载 Excel
          </a>
          <a className="button button--secondary button--small" href={`${download}.csv`} download>
            下载 CSV
          </a>
        </div>
      </div>

      <Banner data={data} />
      <PeriodNav data={data} />
      <OwnUnit data={data} />

      <p className="muted small rank-rule">
        同类别单位按{scopeWord}积分排名；积分相同依次比较国家级、省级、市级上稿数和采用数，仍相同者并列，按单位代码排列。
        “变化”与{data.scope === "month" ? "上月" : "截至上月的年度累计"}名次相比。
      </p>
      {data.channels.length > 0 ? (
        <p className="rank-channels">
          <strong>分频道统计</strong>（{scopeWord}，全县）：{channelFiguresText(data.channels, data.channelTotals)}。
        </p>
      ) : null}

      <TablePicker data={data} />

      {data.kinds.map((kind) => (
        <section key={kind.code} className="rank-section" aria-labelledby={`kind-${kind.code}`}>
          <h2 id={`kind-${kind.code}`}>
            {kind.name}
            <span className="muted small">共 {kind.units} 个单位</span>
          </h2>
          <Pager data={data} />
          <RankingTable
            columns={unitCols}
            data={kind.rows}
            caption={`${kind.name}${data.label}排行榜`}
            rowKey={(r) => String(r.unitId)}
            rowClassName={ownClass}
            rowId={(r) => (r.own ? "own-row" : undefined)}
          />
        </section>
      ))}

      {data.paging && data.paging.kind !== CROSS_KIND ? null : (
      <section className="rank-section" aria-labelledby="cross-kind">
        <h2 id="cross-kind">
          全县完成率排名
          <span className="muted small">跨类别，只按任务完成率排名</span>
        </h2>
        <Pager data={data} />
        <RankingTable
          columns={crossCols}
          data={data.crossKind}
          caption={`全县各单位${data.label}任务完成率排名`}
          rowKey={(r) => String(r.unitId)}
          rowClassName={ownClass}
        />
      </section>
      )}

      <section className="rank-section" aria-labelledby="people">
        <h2 id="people">
          信息员积分排名
          <span className="muted small">
            {data.correspondentTotal > 30 ? `前 30 名（共 ${data.correspondentTotal} 人）` : `共 ${data.correspondentTotal} 人`}
            ，多人署名的稿件积分平均分摊
          </span>
        </h2>
        <RankingTable
          columns={personColumns}
          data={data.correspondents}
          caption={`信息员${data.label}积分排名`}
          rowKey={(r) => String(r.accountId)}
          rowClassName={ownClass}
          empty={`${data.label}还没有采用的稿件。`}
        />
      </section>
    </>
  );
}
