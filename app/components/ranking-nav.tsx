// Around the league tables: whether the period is frozen or provisional, the steps to other
// periods, and for a large county which table, which page and a search by name or code.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";
import type { PeriodNav as Nav, Paging } from "~/domain/rankings-view";
import { addMonths, formatShanghai, monthLabel } from "~/domain/time";

export interface BannerProps {
  scope: "month" | "year";
  provisional: boolean;
  closedAt: string | null;
  months: readonly string[];
  openMonths: readonly string[];
}

export function RankingBanner({ scope, provisional, closedAt, months, openMonths }: BannerProps) {
  const range = `${monthLabel(months[0])}至${Number(months.at(-1)!.slice(5))}月`;
  const [title, note] =
    scope === "month"
      ? provisional
        ? ["暂定（该月尚未结算）", "名次随稿件审核实时变化，以月度结算后的结果为准。"]
        : [`已于 ${formatShanghai(closedAt!)} 结算`, "本月数据已冻结，此后的稿件变动和规则调整不再影响本榜。"]
      : provisional
        ? [`暂定（${openMonths.map(monthLabel).join("、")}尚未结算）`, `统计范围：${range}，共 ${months.length} 个月；未结算月份按当前数据计入。`]
        : ["所含月份均已结算", `统计范围：${range}，共 ${months.length} 个月。`];
  return (
    <div className={`rank-banner rank-banner--${provisional ? "provisional" : "closed"}`} role="status">
      <strong>{title}</strong>
      <span>{note}</span>
    </div>
  );
}

/** ← 上一月 / 下一月 →: a link, or a disabled button where there is no such period. */
function Step({ to, children }: { to: string | null; children: string }) {
  return to ? (
    <Link className="button button--secondary button--small" to={`/rankings/${to}`} prefetch="intent">
      {children}
    </Link>
  ) : (
    <span className="button button--secondary button--small is-disabled" aria-disabled="true">
      {children}
    </span>
  );
}

export interface PeriodNavProps {
  nav: Nav;
  scope: "month" | "year";
  period: string;
  bounds: { first: string; current: string };
}

export function PeriodNav({ nav, scope, period, bounds }: PeriodNavProps) {
  const months: string[] = [];
  for (let m = bounds.current; m >= bounds.first; m = addMonths(m, -1)) months.push(m);
  const years = [...new Set(months.map((m) => m.slice(0, 4)))];
  const unit = scope === "month" ? "月" : "年";
  return (
    <nav className="rank-nav" aria-label="选择时间段">
      <div className="rank-nav__steps">
        <Step to={nav.previous}>{`← 上一${unit}`}</Step>
        <Step to={nav.next}>{`下一${unit} →`}</Step>
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
        <select id="rank-period" name="period" defaultValue={period}>
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
export function tableHref(p: Paging, change: { kind?: string; page?: number; q?: string }) {
  const params = new URLSearchParams();
  params.set("kind", change.kind ?? p.kind);
  const q = change.q ?? (change.kind && change.kind !== p.kind ? "" : p.q);
  if (q) params.set("q", q);
  const page = change.page ?? 1;
  if (page > 1) params.set("page", String(page));
  return `?${params.toString()}`;
}

/** A large county: which table, a search by name or code, the viewer's own unit, and the pages. */
export function TablePicker({ paging: p, label = "选择排行表" }: { paging: Paging | null; label?: string }) {
  if (!p) return null;
  return (
    <nav className="rank-tables" aria-label={label}>
      <ul className="rank-tables__tabs">
        {p.tables.map((t) => (
          <li key={t.code}>
            <Link to={tableHref(p, { kind: t.code })} aria-current={t.code === p.kind ? "page" : undefined} className={t.code === p.kind ? "is-current" : undefined}>
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
        {p.q ? <Link to={tableHref(p, { q: "" })}>清除查找</Link> : null}
        {p.own ? (
          <Link className="button button--secondary button--small" to={`${tableHref(p, { kind: p.own.kind, page: p.own.page, q: "" })}#own-row`}>
            我的单位
          </Link>
        ) : null}
      </Form>
    </nav>
  );
}

export function TablePager({ paging: p }: { paging: Paging | null }) {
  if (!p) return null;
  return (
    <nav className="rank-pager" aria-label="翻页">
      <span>
        {p.q ? `“${p.q}”共找到 ${p.matches} 个单位，` : `共 ${p.matches} 个单位，`}第 {p.page} / {p.pages} 页（每页 {p.pageSize} 个）
      </span>
      {p.page > 1 ? <Link to={tableHref(p, { page: 1 })}>首页</Link> : null}
      {p.page > 1 ? <Link to={tableHref(p, { page: p.page - 1 })}>上一页</Link> : null}
      {p.page < p.pages ? <Link to={tableHref(p, { page: p.page + 1 })}>下一页</Link> : null}
      {p.page < p.pages ? <Link to={tableHref(p, { page: p.pages })}>末页</Link> : null}
    </nav>
  );
}

/** One table's section: its heading with a short note, then the table (and the pager of a large county). */
export function RankingSection({ id, title, note, children }: { id: string; title: string; note: ReactNode; children: ReactNode }) {
  return (
    <section className="rank-section" aria-labelledby={id}>
      <h2 id={id}>
        {title}
        <span className="muted small">{note}</span>
      </h2>
      {children}
    </section>
  );
}
