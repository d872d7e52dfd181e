// Every route module × every role: the expected status of a document GET. A route module
// that is missing from ACCESS fails the first test, so new pages must declare who may see them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, setupCounty, type County, type UserKey } from "../support/app";

type Who = "anonymous" | UserKey;
type Expect = Record<Who, number>;

const modules = import.meta.glob("../../app/routes/*.{ts,tsx}");
const routeName = (key: string) => key.replace("../../app/routes/", "");

const everyone = (status: number): Expect => ({
  anonymous: status, correspondentA: status, correspondentB: status, leadA: status, reviewer: status, admin: status,
});
const signedIn = (status: number): Expect => ({ ...everyone(status), anonymous: 302 });
const only = (allowed: Who[]): Expect => {
  const e = signedIn(403);
  for (const w of allowed) e[w] = 200;
  return e;
};

interface Case {
  url: (c: County) => string;
  params?: (c: County) => Record<string, string>;
  expect: Expect;
}

const ACCESS: Record<string, Case> = {
  "_index.tsx": { url: () => "/", expect: everyone(200) },
  "$.tsx": { url: () => "/no-such-page", params: () => ({ "*": "no-such-page" }), expect: everyone(404) },
  "login.tsx": { url: () => "/login", expect: { ...everyone(302), anonymous: 200 } },
  "logout.tsx": { url: () => "/logout", expect: everyone(302) },
  "healthz.ts": { url: () => "/healthz", expect: everyone(200) },
  "account.password.tsx": { url: () => "/account/password", expect: signedIn(200) },
  "items._index.tsx": { url: () => "/items", expect: only(["correspondentA", "correspondentB", "leadA"]) },
  "review._index.tsx": { url: () => "/review", expect: only(["reviewer"]) },
  "admin.units._index.tsx": { url: () => "/admin/units", expect: only(["admin"]) },
  "admin.units.new.tsx": { url: () => "/admin/units/new", expect: only(["admin"]) },
  "admin.units.$id.tsx": {
    url: (c) => `/admin/units/${c.units.A}`,
    params: (c) => ({ id: String(c.units.A) }),
    expect: only(["admin"]),
  },
  "admin.accounts._index.tsx": { url: () => "/admin/accounts", expect: only(["admin"]) },
  "admin.accounts.new.tsx": { url: () => "/admin/accounts/new", expect: only(["admin"]) },
  "admin.accounts.$id.tsx": {
    url: (c) => `/admin/accounts/${c.ids.correspondentA}`,
    params: (c) => ({ id: String(c.ids.correspondentA) }),
    expect: only(["admin"]),
  },
  "admin.import.tsx": { url: () => "/admin/import", expect: only(["admin"]) },
  "admin.import.template.tsx": { url: () => "/admin/import/template?kind=units", expect: only(["admin"]) },
};

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

it("declares the access of every route module", () => {
  const files = Object.keys(modules).map(routeName).sort();
  expect(files.filter((f) => !(f in ACCESS)), "route modules missing from ACCESS").toEqual([]);
  expect(Object.keys(ACCESS).filter((f) => !files.includes(f)), "ACCESS rows without a module").toEqual([]);
});

describe.each(Object.entries(ACCESS))("%s", (file, spec) => {
  it.each(Object.entries(spec.expect) as Array<[Who, number]>)("%s → %i", async (who, status) => {
    const mod = (await modules[`../../app/routes/${file}`]()) as { loader?: any };
    const response = await call(mod.loader, county, {
      url: spec.url(county),
      params: spec.params?.(county),
      user: who === "anonymous" ? undefined : who,
    });
    expect(response.status).toBe(status);
    if (status === 302 && who === "anonymous" && file !== "logout.tsx" && file !== "login.tsx") {
      expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    }
  });
});
