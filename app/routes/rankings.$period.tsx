// /rankings/2026-10: a month's league tables; /rankings/2026: the year to date.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { crossColumns, personColumns, unitColumns } from "~/components/ranking-columns";
import { PeriodNav, RankingBanner, RankingSection, TablePager, TablePicker } from "~/components/ranking-nav";
import { OwnUnit } from "~/components/ranking-own-unit";
import type { CrossTableRow, UnitTableRow } from "~/components/ranking-columns";
import { RankingTable } from "~/components/ranking-table";
import { channelFiguresText } from "~/domain/channels";
import { roleNeedsUnit } from "~/domain/permissions";
import { CROSS_KIND, parsePeriod, parseTableQuery, periodLabel, periodNav, viewFor, type UnitRankingRow } from "~/domain/rankings-view";
import { cachedMarkup } from "~/lib/markup-cache.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { rankingsFor } from "~/models/rankings.server";
import rankingStyles from "~/styles/rankings.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: rankingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `排行榜 ${data ? data.label : ""} - 教育信息报送平台` },
];

type ViewRow = UnitRankingRow & { own: boolean };

/** A row of a kind's table as sent to the page: without the kind (the table's) and the 约稿 outcomes. */
function kindRow({ kind: _kind, kindName: _kindName, requests: _requests, ...row }: ViewRow): UnitTableRow {
  return row;
}

/** A row of the table across kinds as sent to the page: only the columns it shows. */
function crossRow(r: ViewRow & { kindRank: number; kindTied: boolean }): CrossTableRow {
  return {
    unitId: r.unitId, name: r.name, kind: r.kind, kindName: r.kindName, quota: r.quota, adopted: r.adopted, completion: r.completion,
    status: r.status, months: r.months, rank: r.rank, tied: r.tied, own: r.own, kindRank: r.kindRank, kindTied: r.kindTied,
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "rankings.view");
  const view = await rankingsFor(context.dbs.reader, params.period ?? "");
  if (!view) notFound("没有这个时间段的排行榜：请从“排行榜”页面选择月份或年度。");
  const period = parsePeriod(view.period)!;
  const viewer = { accountId: user.id, unitId: roleNeedsUnit(user.role) ? user.unitId : null };
  // What the page shows of the view: the page's rows (one page of one table at province scale), and
  // of each row only what its table shows; the exports carry everything.
  const shown = viewFor(view, viewer, undefined, parseTableQuery(new URL(request.url).searchParams));
  return {
    ...shown,
    kinds: shown.kinds.map((k) => ({ code: k.code, name: k.name, units: k.units, rows: k.rows.map(kindRow) })),
    crossKind: shown.crossKind.map(crossRow),
    label: periodLabel(period),
    nav: periodNav(period, view.bounds),
  };
}

/**
 * On the server, the tables' markup comes from a cache keyed by what they show: while the league
 * does not change, a page of it renders alike for every reviewer (and every school but the one whose
 * row it marks). The browser renders them itself (the module is not in its bundle).
 */
const rowsMarkup = typeof document === "undefined" ? cachedMarkup : undefined;

export default function Rankings() {
  const data = useLoaderData<typeof loader>();
  const unitCols = useMemo(() => unitColumns(data.scope, data.channels), [data.scope, data.channels]);
  const crossCols = useMemo(() => crossColumns(data.scope), [data.scope]);
  const ownClass = (r: { own: boolean }) => (r.own ? "own-row" : undefined);
  // The viewer's own rows as everyone else sees them: the tables are kept once for everyone.
  const unmarked = <T extends { own: boolean }>(r: T): T | null => (r.own ? { ...r, own: false } : null);
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

      <RankingBanner scope={data.scope} provisional={data.provisional} closedAt={data.closedAt} months={data.months} openMonths={data.openMonths} />
      <PeriodNav nav={data.nav} scope={data.scope} period={data.period} bounds={data.bounds} />
      <OwnUnit own={data.ownUnit} />

      <p className="muted small rank-rule">
        同类别单位按{scopeWord}积分排名；积分相同依次比较国家级、省级、市级上稿数和采用数，仍相同者并列，按单位代码排列。
        {"“变化”与"}{data.scope === "month" ? "上月" : "截至上月的年度累计"}名次相比。
      </p>
      {data.channels.length > 0 ? (
        <p className="rank-channels">
          <strong>分频道统计</strong>（{scopeWord}，全县）：{channelFiguresText(data.channels, data.channelTotals)}。
        </p>
      ) : null}

      <TablePicker paging={data.paging} />

      {data.kinds.map((kind) => (
        <RankingSection key={kind.code} id={`kind-${kind.code}`} title={kind.name} note={`共 ${kind.units} 个单位`}>
          <TablePager paging={data.paging} />
          <RankingTable
            columns={unitCols}
            data={kind.rows}
            caption={`${kind.name}${data.label}排行榜`}
            rowKey={(r) => String(r.unitId)}
            rowClassName={ownClass}
            rowId={(r) => (r.own ? "own-row" : undefined)}
            rowsMarkup={rowsMarkup}
            columnsKey={["unit", data.scope, data.channels]}
            unmarked={unmarked}
          />
        </RankingSection>
      ))}

      {data.paging && data.paging.kind !== CROSS_KIND ? null : (
        <RankingSection id="cross-kind" title="全县完成率排名" note="跨类别，只按任务完成率排名">
          <TablePager paging={data.paging} />
          <RankingTable
            columns={crossCols}
            data={data.crossKind}
            caption={`全县各单位${data.label}任务完成率排名`}
            rowKey={(r) => String(r.unitId)}
            rowClassName={ownClass}
            rowsMarkup={rowsMarkup}
            columnsKey={["cross", data.scope]}
            unmarked={unmarked}
          />
        </RankingSection>
      )}

      <RankingSection
        id="people"
        title="信息员积分排名"
        note={`${data.correspondentNote}，多人署名的稿件积分平均分摊`}
      >
        <RankingTable
          columns={personColumns}
          data={data.correspondents}
          caption={`信息员${data.label}积分排名`}
          rowKey={(r) => String(r.accountId)}
          rowClassName={ownClass}
          empty={`${data.label}还没有采用的稿件。`}
          rowsMarkup={rowsMarkup}
          columnsKey={["people"]}
          unmarked={unmarked}
        />
      </RankingSection>
    </>
  );
}
