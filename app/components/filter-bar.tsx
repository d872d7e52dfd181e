// The filter bar of every list: a GET form, so each view is a link and works without JavaScript.
// The page states its fields; the values come from the loader's reading of the URL
// (app/lib/query.ts), so the bar always shows the view on screen.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";
import { ChoiceOptions, type Choice, type ChoiceGroup } from "~/components/form-kit";

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
  | { type: "month"; name: string; label: string }
  | { type: "date"; name: string; label: string };

export type FilterValues = Record<string, string | number | null | undefined>;

function shown(value: FilterValues[string]): string {
  return value === null || value === undefined ? "" : String(value);
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
  const key = fields.map((f) => `${f.name}=${shown(values[f.name])}`).join("&");
  return (
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
          {fields.some((f) => shown(values[f.name])) ? <Link to={clearHref}>{clearLabel}</Link> : null}
        </div>
      ) : (
        <button type="submit" className="button--secondary">
          {submit}
        </button>
      )}
    </Form>
  );
}
