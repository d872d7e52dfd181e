import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MonthlyTrend } from "~/components/charts/lazy-chart";
import { StatusBadge } from "~/components/status-badge";
import { roleName } from "~/domain/permissions";
import { formatShanghai, monthLabel } from "~/domain/time";
import { getUser } from "~/lib/session.server";
import { adminHome, reviewerHome, unitHome } from "~/models/home.server";

export const meta: MetaFunction = () => [{ title: "首页 - 教育信息报送平台" }];

const AUDIT_LABELS: Record<string, string> = {
  login: "登录",
  login_failed: "登录失败",
  login_throttled: "登录受限",
  logout: "退出",
  password_changed: "修改密码",
  password_reset: "重置密码",
  unit_created: "新建单位",
  unit_updated: "修改单位",
  unit_deactivated: "停用单位",
  unit_reactivated: "启用单位",
  account_created: "新建账号",
  account_updated: "修改账号",
  account_deactivated: "停用账号",
  account_reactivated: "启用账号",
  import: "批量导入",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const db = context.dbs.reader;
  if (!user) return json({ kind: "public" as const });
  switch (user.role) {
    case "correspondent":
    case "school_lead":
      return json({ kind: "unit" as const, role: user.role, name: user.displayName, home: await unitHome(db, user) });
    case "reviewer":
      return json({ kind: "reviewer" as const, name: user.displayName, home: await reviewerHome(db) });
    case "admin":
      return json({ kind: "admin" as const, name: user.displayName, home: await adminHome(db) });
  }
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  switch (data.kind) {
    case "public":
      return <PublicHome />;
    case "unit":
      return <UnitHome data={data} />;
    case "reviewer":
      return <ReviewerHome data={data} />;
    case "admin":
      return <AdminHome data={data} />;
  }
}

function PublicHome() {
  return (
    <section className="card">
      <h1>教育信息报送平台</h1>
      <p>
        全县各学校、幼儿园的信息员在这里报送本单位的教育新闻信息，经学校审核签发、教体局办公室审核采用后发布，
        每月按任务数统计完成情况并通报。
      </p>
      <div className="button-row">
        <Link className="button" to="/login">
          登录报送
        </Link>
      </div>
    </section>
  );
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
  const { home } = data;
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
      <h2>{monthLabel(home.month)}报送情况</h2>
      <div className="grid">
        <Stat label="本月已报送" value={home.monthSubmitted} hint="已到达教体局的稿件" />
        <Stat label="本月已采用" value={home.monthAdopted} />
        <Stat label="教体局审核中" value={home.inReview} />
        {data.role === "school_lead" ? (
          <Stat label="待校内审核" value={home.pendingSignoff} hint={home.unit.signoff_required ? "需要您签发" : "本单位已关闭校内审核"} />
        ) : (
          <Stat label="草稿" value={home.drafts} />
        )}
      </div>
      <h2>最近的稿件</h2>
      {home.recent.length === 0 ? (
        <p className="muted">本单位还没有稿件。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th>标题</th>
                <th>状态</th>
                <th>报送月份</th>
                <th>更新时间</th>
              </tr>
            </thead>
            <tbody>
              {home.recent.map((item) => (
                <tr key={item.id}>
                  <td data-label="标题">{item.title}</td>
                  <td data-label="状态">
                    <StatusBadge status={item.status} />
                  </td>
                  <td data-label="报送月份">{item.report_month ? monthLabel(item.report_month) : "—"}</td>
                  <td data-label="更新时间">{formatShanghai(item.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <Link to="/items">查看本单位全部稿件 →</Link>
      </p>
    </>
  );
}

function ReviewerHome({ data }: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "reviewer" }> }) {
  const { home } = data;
  return (
    <>
      <div className="page-head">
        <h1>审核工作台</h1>
        <span className="muted">{data.name} · 审核员</span>
      </div>
      <div className="grid">
        <Stat label="待审核稿件" value={home.waiting} hint={home.oldestHours !== null ? `最早一篇已等待 ${formatWait(home.oldestHours)}` : "暂无待审核稿件"} />
        <Stat label={`${monthLabel(home.month)}收到稿件`} value={home.monthSubmitted} />
        <Stat label={`${monthLabel(home.month)}已采用`} value={home.monthAdopted} />
      </div>
      <p>
        <Link className="button" to="/review">
          进入审核队列
        </Link>
      </p>
      <MonthlyTrend data={home.trend} title="近 12 个月收稿与采用（按报送月份）" />
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
      <div className="table-wrap">
        <table className="data stack-on-phone">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作人</th>
              <th>操作</th>
              <th>来源地址</th>
            </tr>
          </thead>
          <tbody>
            {home.recent.map((e) => (
              <tr key={e.id}>
                <td data-label="时间">{formatShanghai(e.at)}</td>
                <td data-label="操作人">{e.actor_name || "—"}</td>
                <td data-label="操作">{AUDIT_LABELS[e.action] ?? e.action}</td>
                <td data-label="来源地址">{e.ip || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
