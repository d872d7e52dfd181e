// The county's names as the root loader read them, for any page or meta function; the defaults
// when the root data is missing (an error page rendered before the loader ran).
import { useRouteLoaderData } from "@remix-run/react";
import { bureauNames, DEFAULT_SETTINGS, type BureauNames } from "~/domain/settings";

const DEFAULT_NAMES = bureauNames(DEFAULT_SETTINGS);

function namesOf(data: unknown): BureauNames {
  const names = data && typeof data === "object" ? (data as { names?: BureauNames }).names : undefined;
  return names ?? DEFAULT_NAMES;
}

export function useBureauNames(): BureauNames {
  return namesOf(useRouteLoaderData("root"));
}

/** For meta functions, which get the matched routes' data instead of hooks. */
export function bureauNamesIn(matches: ReadonlyArray<{ id: string; data?: unknown }>): BureauNames {
  return namesOf(matches.find((m) => m.id === "root")?.data);
}
