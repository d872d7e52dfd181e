import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ChartFigure } from "~/components/charts/lazy-chart";
import { DataTable } from "~/components/data-table";
import { PublicHome } from "~/components/public-home";
import { RecentItems } from "~/components/recent-items";
import { PagedList } from "~/components/pager";
import { RemindButton } from "~/components/remind-button";
import { auditActionName } from "~/domain/audit-actions";
import { forecastCallout } from "~/domain/forecast";
import { can, roleName } from "~/domain/permissions";
import { movementText } from "~/domain/ranking";
import { pointsText } from "~/domain/rankings-view";
import { signedPoints } from "~/domain/rules-policy";
import { formatShanghai, monthLabel } from "~/domain/time";
import { param, readQuery } from "~/lib/query";
import { getUser } from "~/lib/session.server";
import { reviewerDashboard, schoolDashboard } from "~/models/dashboard.server";
import { pageCount } from "~/models/units.server";
import { adminHome, publicHome, reviewerHome, unitHome } from "~/models/home.server";
import { latestPublishedNotice } from "~/models/notices.server";
import { unitRegisterProblems } from "~/models/register.server";
import { lastRemindersThisMonth } from "~/models/reminders.server";
import { openAppeals } from "~/models/appeals.server";
import { OpenAppealsCard } from "~/components/appeal-forms";
import { ReviewerThemesCard, SchoolThemesCard } from "~/components/theme-cards";
import { liveCoverageForPage, themesForSchool } from "~/models/themes.server";
import { shanghaiMonth } from "~/domain/time";
import { OpenRequestsCard } from "~/components/request-parts";
import { openRequestsForUnit, requestDashboardCounts } from "~/models/request-reads.server";

export const meta: MetaFunction = () => [{ title: "首页 - 教育信息报送平台" }];

/** Units likely to fall short shown on a reviewer's home at a time, the furthest behind first. */
const AT_RISK_PAGE_SIZE = 20;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const db = context.dbs.reader;
  if (!user) return { kind: "public" as const, latest: await publicHome(db) };
  // Each home page follows from what the person may do (the permission map), not from a role's name.
  // The parts of a home page are independent: read side by side (under the month-end rush every
  // await in turn waits behind everyone else's work, so six in a row took six times as long).
  if (can(user.role, "unit.dashboard") && user.unitId !== null) {
    const unitId = user.unitId;
    const [home, dashboard, registerProblems, notice, themes, requests] = await Promise.all([
      unitHome(db, user),
      schoolDashboard(db, unitId),
      unitRegisterProblems(db, unitId),
      latestPublishedNotice(db, { unitId }),
      themesForSchool(db),
      openRequestsForUnit(db, unitId),
    ]);
    return { kind: "unit" as const, role: user.role, name: user.displayName, home, dashboard, registerProblems, notice, themes, requests };
  }
  if (can(user.role, "review.dashboard")) {
    const month = shanghaiMonth(new Date());
    const [home, dashboard, reminded, openAppealList, coverage, requests] = await Promise.all([
      reviewerHome(db),
      reviewerDashboard(db),
      lastRemindersThisMonth(db),
      openAppeals(db),
      liveCoverageForPage(db, month),
      requestDashboardCounts(db),
    ]);
    // The units likely to fall short, a page at a time (a province has thousands), with their reminders.
    const { page } = readQuery(new URL(request.url).searchParams, { page: param.page() });
    const { atRisk: allAtRisk, ...figures } = dashboard;
    const rows = allAtRisk.slice((page - 1) * AT_RISK_PAGE_SIZE, page * AT_RISK_PAGE_SIZE);
    return {
      kind: "reviewer" as const,
      name: user.displayName,
      home,
      dashboard: figures,
      atRisk: { rows, total: allAtRisk.length, pages: pageCount(allAtRisk.length, AT_RISK_PAGE_SIZE), page },
      reminded: Object.fromEntries(rows.flatMap((u) => (reminded[u.unitId] ? [[u.unitId, reminded[u.unitId]]] : []))),
      openAppeals: openAppealList,
      themes: { month, list: coverage },
      requests,
    };
  }
  if (can(user.role, "audit.view")) return { kind: "admin" as const, name: user.displayName, home: await adminHome(db) };
  return { kind: "public" as const, latest: await publicHome(db) };
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  switch (data.kind) {
    case "public":
      return <PublicHome latest={data.latest} />;
    case "unit":
      return <UnitHome data={data} />;
    case "reviewer":
      return <ReviewerHome data={data} />;
    case "admin":
      return <AdminHome data={data} />;
  }
}

function Stat({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div className="stat">
      <div className="stat__label">{label}</div>
      <div className="stat__value">{value}</div>
      {hint ? <div className="stat__hint">{hint}</div> : null}
    </div>
  );
}

function UnitHome({ data }: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "unit" }> }) {
  const { home, dashboard: dash } = data;
  return (
    <>
      <div className="page-head">
        <h1>
          {home.unit.name}
          <span className="muted small">（{home.unit.kind_name}）</span>
        </h1>
        <span className="muted">
          {data.name} · {roleName(data.role)}
        </span>
      </div>
      {data.registerProblems ? (
        <p className="callout forecast--short" role="status">
          {data.registerProblems.message}
          {data.role === "school_lead" ? (
            <>
              。请核对<Link to="/register">信息员登记表</Link>，增补人员请联系教体局管理员。
            </>
          ) : (
            "，请告知本单位分管领导。"
          )}
        </p>
      ) : null}
      {data.notice ? (
        <div className="callout">
          最新通报：<Link to={data.notice.href}>{data.notice.title}</Link>
          {data.notice.docNumber ? <span className="muted small">（{data.notice.docNumber}）</span> : null}
          {data.notice.standing?.commended ? <p className="forecast forecast--ok">本单位受到表扬：{data.notice.standing.commended.join("；")}</p> : null}
          {data.notice.standing?.criticised ? <p className="forecast forecast--short">本单位被通报批评：{data.notice.standing.criticised.join("；")}</p> : null}
        </div>
      ) : null}
      <SchoolThemesCard month={data.themes.month} themes={data.themes.themes} />
      <OpenRequestsCard requests={data.requests} />
      <h2>{monthLabel(home.month)}报送情况</h2>
      {dash.forecast ? (
        <p className={`callout forecast ${dash.forecast.shortBy > 0 ? "forecast--short" : "forecast--ok"}`}>
          {forecastCallout(dash.forecast)}
        </p>
      ) : null}
      <div className="grid">
        <Stat
          label="本月已采用 / 任务数"
          value={dash.row ? `${dash.row.adopted} / ${dash.row.quota}` : "—"}
          hint={dash.row ? `完成率 ${Math.round(dash.row.completion * 100)}% · ${dash.row.statusName}` : undefined}
        />
        <Stat
          label="本月积分（暂定）"
          value={dash.row ? pointsText(dash.row.points) : "—"}
          hint={[...dash.receipt.lines.map((l) => `${l.label} ${signedPoints(l.points)}`), `迟报 ${dash.row?.late ?? 0} 篇`].join(" · ")}
        />
        <Stat
          label={`${home.unit.kind_name}内名次`}
          value={dash.row ? `第 ${dash.row.rank} 名` : "—"}
          hint={dash.row ? `共 ${dash.kindSize} 个单位${dash.row.tied ? " · 并列" : ""} · 较上月 ${movementText(dash.row.movement)}` : undefined}
        />
        <Stat label="教体局审核中" value={home.inReview} hint={`本月已报送 ${home.monthSubmitted} 篇`} />
        {data.role === "school_lead" ? (
          <Stat label="待校内审核" value={home.pendingSignoff} hint={home.unit.signoff_required ? "需要您签发" : "本单位已关闭校内审核"} />
        ) : (
          <Stat label="草稿" value={home.drafts} />
        )}
      </div>
      <div className="chart-grid" style={{ marginTop: "1rem" }}>
        <ChartFigure
          kind="rankHistory"
          title="近 12 个月类别内名次"
          data={dash.history}
          columns={[["月份", (r) => r.label], ["名次", (r) => r.rank ?? "—"]]}
        />
        <ChartFigure
          kind="pointsHistory"
          title="近 12 个月积分"
          data={dash.history}
          columns={[["月份", (r) => r.label], ["积分", (r) => (r.points === null ? "—" : pointsText(r.points))], ["采用/任务", (r) => (r.adopted === null ? "—" : `${r.adopted}/${r.quota}`)]]}
        />
      </div>
      <p>
        <Link to={`/rankings/${home.month}`} className="tap-target">查看本月排行榜 →</Link>
      </p>
      <RecentItems items={home.recent} canWrite={data.role === "correspondent"} />
    </>
  );
}

function ReviewerHome({ data }: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "reviewer" }> }) {
  const { home, dashboard: dash } = data;
  return (
    <>
      <div className="page-head">
        <h1>审核工作台</h1>
        <span className="muted">{data.name} · 审核员</span>
      </div>
      <div className="grid">
        <Stat
          label="待审核稿件"
          value={dash.waiting.total}
          hint={dash.waiting.oldest ? `最早一篇已等待 ${formatWait(Math.floor((Date.parse(dash.now) - Date.parse(dash.waiting.oldest)) / 3_600_000))}` : "暂无待审核稿件"}
        />
        {dash.waiting.buckets.map((b) => (
          <Stat key={b.label} label={`等待 ${b.label}`} value={b.count} />
        ))}
        <Stat label={`${monthLabel(home.month)}收到稿件`} value={home.monthSubmitted} />
        <Stat label={`${monthLabel(home.month)}已采用`} value={home.monthAdopted} />
      </div>
      <OpenAppealsCard appeals={data.openAppeals} />
      <ReviewerThemesCard month={data.themes.month} themes={data.themes.list} />
      <p className="callout">
        <Link to="/requests?status=open">约稿</Link>：进行中 {data.requests.open} 项；已截止、按时报送的稿件待审核 {data.requests.awaiting} 篇。
      </p>
      <div className="button-row" style={{ margin: "1rem 0" }}>
        <Link className="button" to="/review">
          进入审核队列
        </Link>
        <Link className="button button--secondary" to="/months">
          月度结算
        </Link>
        <Link className="button button--secondary" to={`/rankings/${home.month}`}>
          本月排行榜
        </Link>
      </div>
      <div className="chart-grid">
        <ChartFigure
          kind="submissionsByDay"
          title={`${monthLabel(home.month)}每日首次报送`}
          note="按稿件第一次到达教体局的日期；已退回学校、尚未再报的稿件不计"
          data={dash.submissionsByDay}
          columns={[["日期", (r) => r.label], ["篇数", (r) => r.count]]}
        />
        <ChartFigure
          kind="byCategory"
          title={`${monthLabel(home.month)}各栏目收稿与采用`}
          note="收到：本月报送、现在在教体局的稿件（已退回学校的不计）"
          data={dash.byCategory}
          empty="本月还没有收到稿件。"
          height={360}
          columns={[["栏目", (r) => r.category], ["收到", (r) => r.submitted], ["采用", (r) => r.adopted]]}
        />
      </div>
      <h2>各类别完成情况（本月，暂定）</h2>
      <DataTable
        rows={dash.kinds}
        rowKey={(k) => k.kind}
        columns={[
          { header: "类别", cell: (k) => k.name },
          { header: "单位数", numeric: true, cell: (k) => k.units },
          { header: "已达标", numeric: true, cell: (k) => k.met },
          { header: "任务完成率", numeric: true, cell: (k) => `${Math.round(k.completion * 100)}%` },
        ]}
      />
      <h2>可能完不成本月任务的单位（{data.atRisk.total}）</h2>
      <PagedList list={data.atRisk} page={data.atRisk.page} empty="按目前进度，各单位都能完成本月任务。">
        <DataTable
          rows={data.atRisk.rows}
          rowKey={(u) => u.unitId}
          columns={[
            { header: "单位", cell: (u) => u.name },
            { header: "类别", cell: (u) => u.kindName },
            { header: "已采用/任务", numeric: true, cell: (u) => `${u.adopted}/${u.quota}` },
            { header: "预测", className: "forecast forecast--short", headerClassName: "", cell: (u) => u.forecast.message },
            {
              header: "催报",
              cell: (u) => (
                <RemindButton
                  unitId={u.unitId} unitName={u.name} lastRemindedAt={data.reminded[u.unitId]?.at}
                  redirectTo={data.atRisk.page > 1 ? `/?page=${data.atRisk.page}` : "/"}
                />
              ),
            },
          ]}
        />
      </PagedList>
      <p>
        <Link to="/reminders" className="tap-target">催报记录 →</Link>
      </p>
      <ChartFigure
        kind="monthlyTrend"
        title="近 12 个月收稿与采用（按报送月份）"
        data={home.trend}
        columns={[["月份", (r) => r.label], ["收到", (r) => r.submitted], ["采用", (r) => r.adopted]]}
      />
    </>
  );
}

function formatWait(hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} 天` : `${hours} 小时`;
}

function AdminHome({ data }: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "admin" }> }) {
  const { home } = data;
  return (
    <>
      <div className="page-head">
        <h1>系统管理</h1>
        <span className="muted">{data.name} · 管理员</span>
      </div>
      <div className="grid">
        {home.units.map((u) => (
          <Stat key={u.kind_name} label={u.kind_name} value={u.n} hint="个在用单位" />
        ))}
        {home.accounts.map((a) => (
          <Stat key={a.role} label={roleName(a.role)} value={a.n} hint="个在用账号" />
        ))}
      </div>
      <div className="button-row" style={{ marginTop: "1rem" }}>
        <Link className="button" to="/admin/units">
          单位管理
        </Link>
        <Link className="button button--secondary" to="/admin/accounts">
          账号管理
        </Link>
        <Link className="button button--secondary" to="/admin/import">
          批量导入
        </Link>
      </div>
      <h2>最近操作</h2>
      <DataTable
        rows={home.recent}
        rowKey={(e) => e.id}
        columns={[
          { header: "时间", cell: (e) => formatShanghai(e.at) },
          { header: "操作人", cell: (e) => e.person },
          { header: "操作", cell: (e) => auditActionName(e.action) },
          { header: "来源地址", cell: (e) => e.ip || "—" },
        ]}
      />
      <p>
        <Link to="/admin/audit">查看全部操作日志（可按人员、单位、操作和日期筛选，可下载）</Link>
      </p>
    </>
  );
}
