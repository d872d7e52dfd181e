// Remix single fetch, as the page's JavaScript speaks it, for the tests and the load generator that
// talk to the running portal over HTTP: the data address of a page and the answer decoded.
//
// A page's JavaScript asks `<path>.data` (`/_root.data` for `/`): a GET runs the page's loaders
// (only those named in `_routes`, when given) and a POST runs its action. The answer is a
// turbo-stream; a redirect comes back as status 202 with the target in the body.
import { decode } from "turbo-stream";

/**
 * The single-fetch address of a page, keeping its query (`?index` included). With `routes`, a GET
 * runs only those routes' loaders (what `?_data=<route>` asked for before single fetch).
 */
export function dataUrl(url: string, routes?: string | string[]): string {
  const base = new URL(url, "http://portal.invalid");
  base.pathname = base.pathname === "/" ? "/_root.data" : `${base.pathname.replace(/\/$/, "")}.data`;
  if (routes !== undefined) base.searchParams.set("_routes", ([] as string[]).concat(routes).join(","));
  return `${base.pathname}${base.search}`;
}

/** The route id of a route file: `items.$id.tsx` → `routes/items.$id`. */
export const routeIdOf = (file: string) => `routes/${file.replace(/\.tsx?$/, "")}`;

/** Single fetch answers a redirect with this status and the target in the body. */
export const SINGLE_FETCH_REDIRECT_STATUS = 202;

export interface SingleFetchRedirect {
  redirect: string;
  status: number;
  revalidate: boolean;
  reload: boolean;
  replace: boolean;
}

/** An error a loader or action threw (a 403/404 page's data, or a sanitized Error). */
export interface SingleFetchError {
  status?: number;
  data?: unknown;
  message?: string;
}

export type SingleFetchResult =
  | { kind: "redirect"; redirect: SingleFetchRedirect }
  /** A GET: each loaded route's data or error, by route id. */
  | { kind: "loaders"; routes: Record<string, { data?: unknown; error?: SingleFetchError }> }
  /** A POST: the action's data or error. */
  | { kind: "action"; data?: unknown; error?: SingleFetchError };

const REDIRECT = Symbol("redirect");

/** Decodes a `.data` answer the way the page's JavaScript does (Remix's decodeViaTurboStream). */
export async function decodeSingleFetch(response: Response, method = "GET"): Promise<SingleFetchResult> {
  if (!response.body) throw new Error(`a .data answer without a body: ${response.status}`);
  const decoded = await decode(response.body, {
    plugins: [
      (type: string, ...rest: unknown[]) => {
        if (type === "SanitizedError") {
          const [, message] = rest as [string, string];
          return { value: { message } satisfies SingleFetchError };
        }
        if (type === "ErrorResponse") {
          const [data, status] = rest as [unknown, number];
          return { value: { status, data } satisfies SingleFetchError };
        }
        if (type === "SingleFetchRedirect") return { value: { [REDIRECT]: rest[0] } };
        return undefined;
      },
      (type: string, value: unknown) => {
        if (type === "SingleFetchFallback") return { value: undefined };
        if (type === "SingleFetchClassInstance") return { value };
        return undefined;
      },
    ],
  });
  await decoded.done;
  const value = decoded.value as Record<PropertyKey, unknown>;
  if (value && typeof value === "object" && REDIRECT in value) return { kind: "redirect", redirect: value[REDIRECT] as SingleFetchRedirect };
  if (method !== "GET") {
    // An action's redirect comes back as the redirect object itself.
    if (response.status === SINGLE_FETCH_REDIRECT_STATUS && typeof value?.redirect === "string") {
      return { kind: "redirect", redirect: value as unknown as SingleFetchRedirect };
    }
    return { kind: "action", data: value?.data, error: value?.error as SingleFetchError | undefined };
  }
  return { kind: "loaders", routes: value as Record<string, { data?: unknown; error?: SingleFetchError }> };
}

/** One route's loader data from a GET `.data` answer; throws when the route failed or was not loaded. */
export async function loaderDataOf<T>(response: Response, routeId: string): Promise<T> {
  const result = await decodeSingleFetch(response);
  if (result.kind !== "loaders") throw new Error(`${routeId}: expected loader data, got ${JSON.stringify(result)}`);
  const entry = result.routes[routeId];
  if (!entry || entry.error !== undefined || !("data" in entry)) throw new Error(`${routeId}: no data (${JSON.stringify(entry)})`);
  return entry.data as T;
}
