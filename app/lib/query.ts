// Reading list state (filters, page) from the URL, so every view can be linked. A list page
// states its parameters as a shape built from these readers; each reader turns anything it does
// not accept into its default, so a hand-edited or stale URL shows the unfiltered view instead of
// an error. They are plain functions, not zod schemas: nothing is ever refused here, and a list
// page reads them on every request (building zod schemas per request cost a few per cent of the
// portal's CPU under load).

const PAGE_MAX = 100_000;

/** One parameter's reader: the URL's value (undefined when absent) to what the page uses. */
export type ParamReader<T> = (value: string | undefined) => T;

export const param = {
  /** Free text (a search box): trimmed, cut to `max` characters; "" when absent. */
  text:
    (max = 50): ParamReader<string> =>
    (s) =>
      (s ?? "").trim().slice(0, max),
  /** One of the listed codes, else `fallback`. */
  oneOf:
    <T extends string, F extends T | "">(values: readonly T[], fallback: F): ParamReader<T | F> =>
    (s) =>
      values.includes(s as T) ? (s as T) : fallback,
  /** A positive whole number (an id), optionally one of `allowed`; undefined otherwise. */
  id:
    (allowed?: ReadonlyArray<number>): ParamReader<number | undefined> =>
    (s) => {
      const n = /^[1-9]\d{0,15}$/.test(s ?? "") ? Number(s) : undefined;
      return n !== undefined && Number.isSafeInteger(n) && (!allowed || allowed.includes(n)) ? n : undefined;
    },
  /** A month "YYYY-MM", optionally one of `allowed`; undefined otherwise. */
  month:
    (allowed?: readonly string[]): ParamReader<string | undefined> =>
    (s) =>
      s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s) && (!allowed || allowed.includes(s)) ? s : undefined,
  /** A calendar date "YYYY-MM-DD" that exists (no 2026-02-30); undefined otherwise. */
  date: (): ParamReader<string | undefined> => (s) => {
    if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : undefined;
  },
  /** The list's page: 1 when absent or not a page number. */
  page: (): ParamReader<number> => (s) => {
    const n = Number(s ?? "1");
    return Number.isInteger(n) && n >= 1 && n <= PAGE_MAX ? n : 1;
  },
};

/** The URL's parameters read through `shape`; never throws. */
export function readQuery<S extends Record<string, ParamReader<unknown>>>(params: URLSearchParams, shape: S): { [K in keyof S]: ReturnType<S[K]> } {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) out[key] = shape[key](params.get(key) ?? undefined);
  return out as { [K in keyof S]: ReturnType<S[K]> };
}

export function pageParam(params: URLSearchParams): number {
  return readQuery(params, { page: param.page() }).page;
}

export function pageHref(params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  if (page <= 1) next.delete("page");
  else next.set("page", String(page));
  const s = next.toString();
  return s ? `?${s}` : "?";
}
