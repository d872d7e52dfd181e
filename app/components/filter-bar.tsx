// The filter bar of every list: a GET form, so each view is a link and works without JavaScript.
// The page states its fields; the values come from the loader's reading of the URL
// (app/lib/query.ts), so the bar always shows the view on screen.
import { Form, useLocation } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";
import { ChoiceOptions, type Choice, type ChoiceGroup } from "~/components/form-kit";
import { UNIT_TEXT_MAX, unitLabel, type PickableUnit, type UnitFilterView } from "~/domain/unit-pick";

export type FilterField =
  | {
      type?: "select";
      name: string;
      label: string;
      options?: Choice[];
      groups?: ChoiceGroup[];
      /** The empty choice that means "no filter" ("全部栏目"); none when the filter always has a value. */
      all?: string;
    }
  | { type: "search"; name: string; label: string; placeholder?: string; maxLength?: number }
  | {
      /**
       * A unit: a drop-down of `options`/`groups` while the view has every unit, else a search box
       * taking a code or name, with the units matching what was typed listed under the bar.
       */
      type: "unit";
      name: string;
      label: string;
      all: string;
      view: UnitFilterView<PickableUnit>;
      options?: Choice[];
      groups?: ChoiceGroup[];
    }
  | { type: "month"; name: string; label: string }
  | { type: "date"; name: string; label: string };

export type FilterValues = Record<string, string | number | null | undefined>;

function shown(value: FilterValues[string]): string {
  return value === null || value === undefined ? "" : String(value);
}

/** The value a field shows: a unit search box shows the chosen unit's code and name, or the text typed. */
function shownIn(f: FilterField, values: FilterValues): string {
  return f.type === "unit" && f.view.mode === "search" ? f.view.text : shown(values[f.name]);
}

export function FilterBar({
  fields, values, label = "筛选", submit = "筛选", action, clearHref, clearLabel = "清除", idPrefix = "", className, children,
}: {
  fields: FilterField[];
  values: FilterValues;
  label?: string;
  submit?: string;
  /** Where the form goes (default: this page). */
  action?: string;
  /** Where "清除" leads, shown while any filter is set. */
  clearHref?: string;
  clearLabel?: string;
  /** Prefix of the controls' ids (a page whose other form names the same fields). */
  idPrefix?: string;
  /** Extra class of the bar. */
  className?: string;
  /** Hidden inputs that carry the rest of the view (say, a sort order). */
  children?: ReactNode;
}) {
  // Keyed by the values so the controls show the current view after a link is followed.
  const key = fields.map((f) => `${f.name}=${shownIn(f, values)}`).join("&");
  return (
    <>
      <Form method="get" className={className ? `filters ${className}` : "filters"} aria-label={label} action={action} key={key}>
        {children}
        {fields.map((f) => (
          <div className="field" key={f.name}>
            <label htmlFor={`${idPrefix}${f.name}`}>{f.label}</label>
            {f.type === "search" ? (
              <input
                id={`${idPrefix}${f.name}`} name={f.name} type="search" defaultValue={shown(values[f.name])}
                placeholder={f.placeholder} maxLength={f.maxLength ?? 50}
              />
            ) : f.type === "unit" && f.view.mode === "search" ? (
              <input
                id={`${idPrefix}${f.name}`} name={f.name} type="search" defaultValue={f.view.text}
                placeholder="输入单位名称或代码" maxLength={UNIT_TEXT_MAX} autoComplete="off"
              />
            ) : f.type === "month" || f.type === "date" ? (
              <input id={`${idPrefix}${f.name}`} name={f.name} type={f.type} defaultValue={shown(values[f.name])} />
            ) : (
              <select id={`${idPrefix}${f.name}`} name={f.name} defaultValue={shown(values[f.name])}>
                <ChoiceOptions options={f.options} groups={f.groups} placeholder={f.all} />
              </select>
            )}
          </div>
        ))}
        {clearHref !== undefined ? (
          <div className="button-row">
            <button type="submit" className="button--secondary">
              {submit}
            </button>
            {fields.some((f) => shownIn(f, values)) ? <Link to={clearHref}>{clearLabel}</Link> : null}
          </div>
        ) : (
          <button type="submit" className="button--secondary">
            {submit}
          </button>
        )}
      </Form>
      {fields.map((f) =>
        f.type === "unit" && f.view.mode === "search" && !f.view.chosen && f.view.text ? (
          <UnitMatches key={f.name} name={f.name} text={f.view.text} matches={f.view.matches} count={f.view.matchCount} />
        ) : null,
      )}
    </>
  );
}

/** The units matching what was typed into a unit search box, each a link to the list filtered by it. */
function UnitMatches({ name, text, matches, count }: { name: string; text: string; matches: PickableUnit[]; count: number }) {
  const location = useLocation();
  const href = (id: number) => {
    const params = new URLSearchParams(location.search);
    params.set(name, String(id));
    params.delete("page");
    return `${location.pathname}?${params.toString()}`;
  };
  return (
    <div className="unit-matches" role="status">
      {count === 0 ? (
        <p>没有名称或代码含“{text}”的单位，下面的结果未按单位筛选。</p>
      ) : (
        <>
          <p>
            名称或代码含“{text}”的单位有 {count} 个
            {count > matches.length ? `，这里列出前 ${matches.length} 个，可输入更完整的名称或代码` : ""}
            。请选择一个单位（下面的结果暂未按单位筛选）：
          </p>
          <ul>
            {matches.map((u) => (
              <li key={u.id}>
                <Link to={href(u.id)}>{unitLabel(u)}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
