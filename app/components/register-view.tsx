// The register's read-only parts: the deadline, each person's line, the incomplete units and the
// table of all units. The page (app/routes/register.$year.tsx) adds the lead's own-unit form.
import { Link } from "~/components/link";
import { Kept, type KeepMarkup } from "~/components/kept-markup";
import { DataTable } from "~/components/data-table";
import { roleName } from "~/domain/permissions";
import { tableHref, TablePager, TablePicker } from "~/components/ranking-nav";
import type { Paging } from "~/domain/rankings-view";
import type { IncompleteCell, RegisterPerson as Person, RegisterUnit as Unit } from "~/domain/register";
import type { RegisterIncomplete, RegisterShown } from "~/domain/register-pages";

type View = RegisterShown["view"];
import { daysBetween } from "~/domain/time";

export function Deadline({ view }: { view: View }) {
  const left = daysBetween(view.today, view.deadline);
  return (
    <div className="callout register-deadline">
      <p>
        登记截止日期：<strong>{view.deadlineLabel}</strong>
        {view.deadlinePassed ? "（已截止）" : left === 0 ? "（今天截止）" : `（还有 ${left} 天）`}
      </p>
      <p className="muted small">
        名单为截至今日（{view.today}）在册的人员。
        {view.deadlinePassed ? "登记是否齐全按截止日当天在册的人员核对（登记日期不晚于截止日、截止日时未停用），目前仍缺的单位列出至补齐为止。" : null}
        人员离岗时由管理员停用其账号，其稿件和积分仍归本人。
      </p>
    </div>
  );
}

function PersonLine({ p, linkAccounts }: { p: Person; linkAccounts: boolean }) {
  return (
    <li className="person">
      {linkAccounts ? (
        <Link to={`/admin/accounts/${p.id}`} className="person__name">
          {p.name}
        </Link>
      ) : (
        <strong className="person__name">{p.name}</strong>
      )}{" "}
      {p.phone ? (
        <a href={`tel:${p.phone}`} className="person__phone">
          {p.phone}
        </a>
      ) : (
        <span className="badge badge--warn">未填手机号</span>
      )}{" "}
      <span className="muted small person__since">{p.registeredOn ? `${p.registeredOn} 起` : "登记日期未填"}</span>
      {p.late ? (
        <>
          {" "}
          <span className="badge badge--warn">逾期登记</span>
        </>
      ) : null}
    </li>
  );
}

export function People({ people, missing, linkAccounts }: { people: Person[]; missing: string; linkAccounts: boolean }) {
  if (people.length === 0) return <span className="badge badge--err">未登记{missing}</span>;
  return (
    <ul className="people">
      {people.map((p) => (
        <PersonLine key={p.id} p={p} linkAccounts={linkAccounts} />
      ))}
    </ul>
  );
}

/** Those who left (deactivated accounts): a note, never a line of the register. */
export function InactiveNote({ unit, role }: { unit: Unit; role?: Person["role"] }) {
  const people = role ? unit.inactive.filter((p) => p.role === role) : unit.inactive;
  if (people.length === 0) return null;
  return (
    <p className="inactive-note muted small">
      已停用：
      {people.map((p, i) => (
        <span key={p.id}>
          {i > 0 ? "；" : ""}
          {p.name}（{roleName(p.role)}
          {p.deactivatedOn ? `，${p.deactivatedOn} 停用` : ""}）
        </span>
      ))}
    </p>
  );
}

function GapCell({ cell }: { cell: IncompleteCell }) {
  return <span className={cell.missing ? "register-gap" : "muted"}>{cell.text}</span>;
}

/** Where an incomplete unit's line is: on this page, or (a paged register) its kind's page found by its code. */
function unitLineHref(code: string, paging: Paging | null): string {
  return `${paging ? tableHref(paging, { q: code }) : ""}#unit-${code}`;
}

/**
 * Before the deadline, the units incomplete today. After it, those incomplete at the deadline and
 * those still (or newly) incomplete today, each with both. A paged register lists the kind shown.
 */
function Incomplete({ view, incomplete, paging }: { view: View; incomplete: RegisterIncomplete; paging: Paging | null }) {
  const passed = view.deadlinePassed;
  const { rows } = incomplete;
  return (
    <section aria-labelledby="incomplete-title">
      <h2 id="incomplete-title">
        登记不全的单位
        {/* In parentheses, as the kinds' headings' counts: not run on into the heading. */}
        <span className="muted small">
          {passed ? `（截止日 ${incomplete.atDeadline} 个，目前 ${incomplete.today} 个）` : `（截至今日 ${incomplete.atDeadline} 个）`}
        </span>
      </h2>
      {incomplete.kindName !== null ? (
        <p className="muted small">
          这里列出{incomplete.kindName}中登记不全的 {incomplete.listed} 个单位
          {incomplete.listed > rows.length ? `的前 ${rows.length} 个` : ""}；其他类别请在下方切换，全部单位见“下载 Excel”。
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted">
          {passed ? "截止日当天和目前" : "截至今日"}，{incomplete.kindName ?? "各单位"}都已登记分管领导和在岗信息员。
        </p>
      ) : (
        <DataTable
          rows={rows}
          rowKey={(u) => u.unitId}
          columns={[
            {
              header: "单位",
              primary: true,
              cell: (u) => (
                <a href={unitLineHref(u.code, paging)}>
                  {u.code} {u.name}
                </a>
              ),
            },
            { header: "类别", cell: (u) => u.kindName },
            passed && { header: `截止日（${view.deadlineLabel}）缺少`, cell: (u) => <GapCell cell={u.atDeadline!} /> },
            { header: passed ? "目前缺少" : "缺少", cell: (u) => <GapCell cell={u.today} /> },
          ]}
        />
      )}
    </section>
  );
}

/** A column of the people of one role, with those of that role who left. */
function peopleColumn(header: string, headerClassName: string, people: (u: Unit) => Person[], role: Person["role"], linkAccounts: boolean) {
  return {
    header,
    headerClassName,
    className: "people-cell",
    cell: (u: Unit) => (
      <>
        <People people={people(u)} missing={header} linkAccounts={linkAccounts} />
        <InactiveNote unit={u} role={role} />
      </>
    ),
  };
}

export function AllUnits({ shown, linkAccounts, markup }: {
  /** The register as the page shows it (registerShown): whole, or one kind's page of a province. */
  shown: RegisterShown;
  linkAccounts: boolean;
  /**
   * On the server: each kind's section (heading and table) kept as markup by what it shows, when
   * its people are not links (a reviewer's register reads alike until the next write). The browser
   * renders the same sections itself.
   */
  markup?: KeepMarkup;
}) {
  const { view, paging, incomplete } = shown;
  const t = view.totals;
  return (
    <>
      <p className="register-totals">
        共 <strong>{t.units}</strong> 个单位，分管领导 <strong>{t.leads}</strong> 人，信息员 <strong>{t.correspondents}</strong> 人
        {t.late > 0 ? <>；{view.year}年逾期登记 {t.late} 人</> : null}
        {t.noPhone > 0 ? <>；未填手机号 {t.noPhone} 人</> : null}
        {t.inactive > 0 ? <>；{view.year}年以来停用 {t.inactive} 人</> : null}。
      </p>
      <Incomplete view={view} incomplete={incomplete} paging={paging} />
      <TablePicker paging={paging} label="选择单位类别" />
      {view.kinds.map((kind) => (
        // Names that are links (the administrator's view) render only inside the router: not kept.
        <Kept
          key={kind.code} as="section" aria-labelledby={`kind-${kind.code}`}
          keep={linkAccounts ? undefined : markup} cacheKey={() => JSON.stringify(["register-kind", kind, paging?.tables])}
        >
          <KindSection kind={kind} units={paging?.tables.find((k) => k.code === kind.code)?.units ?? kind.units.length} linkAccounts={linkAccounts} />
        </Kept>
      ))}
      <TablePager paging={paging} />
    </>
  );
}

/** A kind's heading and the table of its units. */
function KindSection({ kind, units, linkAccounts }: { kind: View["kinds"][number]; units: number; linkAccounts: boolean }) {
  return (
    <>
      <h2 id={`kind-${kind.code}`}>
        {kind.name}
        <span className="muted small">（{units} 个单位）</span>
      </h2>
      <DataTable
        className="data stack-on-phone register-table register-table--units"
        rows={kind.units}
        rowKey={(u) => u.id}
        rowId={(u) => `unit-${u.code}`}
        rowClassName={(u) => (u.gaps.length > 0 ? "register-row--gap" : undefined)}
        columns={[
          {
            header: "单位",
            headerClassName: "col-unit",
            primary: true,
            cell: (u) => (
              <>
                <span className="unit-code">{u.code}</span> {u.name}
                {u.township ? <span className="township-inline muted small"> · {u.township}</span> : null}
                {u.gaps.length > 0 ? (
                  <>
                    {" "}
                    <span className="badge badge--err">登记不全</span>
                  </>
                ) : u.gapsAtDeadline?.length ? (
                  <>
                    {" "}
                    <span className="badge badge--warn">截止日登记不全</span>
                  </>
                ) : null}
              </>
            ),
          },
          { header: "乡镇", headerClassName: "col-township", className: "township-cell", cell: (u) => u.township || "—" },
          peopleColumn("分管领导", "col-leads", (u) => u.leads, "school_lead", linkAccounts),
          peopleColumn("信息员", "", (u) => u.correspondents, "correspondent", linkAccounts),
        ]}
      />
    </>
  );
}

