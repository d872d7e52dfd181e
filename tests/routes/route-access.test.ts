// Every route module × every role: the expected status of a document GET. A route module
// that is missing from ACCESS fails the first test, so new pages must declare who may see them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { attachPhoto, png } from "../support/photos";
import { shanghaiMonth } from "~/domain/time";
import { getConfig } from "~/models/env.server";
import { closeMonth } from "~/models/month-close.server";
import { draftMonthlyNotice, publishNotice, updateNoticeText } from "~/models/notices.server";
import { addBulletinItem, createBulletin } from "~/models/bulletins.server";
import { publishBulletin } from "~/models/bulletin-publish.server";

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

/** The address and route params of a page with one param, `name`, whose value is `value(c)`. */
const withParam = (name: string, value: (c: County) => string | number, url: (value: string) => string) => ({
  url: (c: County) => url(String(value(c))),
  params: (c: County) => ({ [name]: String(value(c)) }),
});
/** This month and year in the county (Asia/Shanghai). */
const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const thisYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

const ACCESS: Record<string, Case> = {
  "_index.tsx": { url: () => "/", expect: everyone(200) },
  "$.tsx": { url: () => "/no-such-page", params: () => ({ "*": "no-such-page" }), expect: everyone(404) },
  "login.tsx": { url: () => "/login", expect: { ...everyone(302), anonymous: 200 } },
  "logout.tsx": { url: () => "/logout", expect: everyone(302) },
  "healthz.ts": { url: () => "/healthz", expect: everyone(200) },
  "account.password.tsx": { url: () => "/account/password", expect: signedIn(200) },
  "items._index.tsx": { url: () => "/items", expect: only(["correspondentA", "correspondentB", "leadA"]) },
  "items.new.tsx": { url: () => "/items/new", expect: only(["correspondentA", "correspondentB"]) },
  // Unit A's item in the bureau's queue: its unit and the reviewers see it.
  "items.$id.tsx": {
    ...withParam("id", () => fixture.submittedItem, (id) => `/items/${id}`),
    expect: only(["correspondentA", "leadA", "reviewer"]),
  },
  // Only a draft is edited, only by its unit's correspondent.
  "items.$id_.edit.tsx": {
    ...withParam("id", () => fixture.draftItem, (id) => `/items/${id}/edit`),
    expect: only(["correspondentA"]),
  },
  // A photo of a non-public item is "not found" to everyone who may not see the item.
  "photos.$id.tsx": {
    ...withParam("id", () => fixture.photo, (id) => `/photos/${id}`),
    expect: { ...everyone(404), correspondentA: 200, leadA: 200, reviewer: 200 },
  },
  "photos.$id.thumb.tsx": {
    ...withParam("id", () => fixture.photo, (id) => `/photos/${id}/thumb`),
    expect: { ...everyone(404), correspondentA: 200, leadA: 200, reviewer: 200 },
  },
  "review._index.tsx": { url: () => "/review", expect: only(["reviewer"]) },
  "review.$id.tsx": {
    ...withParam("id", () => fixture.submittedItem, (id) => `/review/${id}`),
    expect: only(["reviewer"]),
  },
  "admin.units._index.tsx": { url: () => "/admin/units", expect: only(["admin"]) },
  "admin.units.new.tsx": { url: () => "/admin/units/new", expect: only(["admin"]) },
  "admin.units.$id.tsx": {
    ...withParam("id", (c) => c.units.A, (id) => `/admin/units/${id}`),
    expect: only(["admin"]),
  },
  "admin.accounts._index.tsx": { url: () => "/admin/accounts", expect: only(["admin"]) },
  "admin.accounts.new.tsx": { url: () => "/admin/accounts/new", expect: only(["admin"]) },
  "admin.accounts.$id.tsx": {
    ...withParam("id", (c) => c.ids.correspondentA, (id) => `/admin/accounts/${id}`),
    expect: only(["admin"]),
  },
  "admin.import.tsx": { url: () => "/admin/import", expect: only(["admin"]) },
  "admin.import.template.tsx": { url: () => "/admin/import/template?kind=units", expect: only(["admin"]) },
  "admin.rules.tsx": { url: () => "/admin/rules", expect: only(["admin"]) },
  "admin.settings.tsx": { url: () => "/admin/settings", expect: only(["admin"]) },
  // The operations log: admins read all of it, reviewers the review-related entries (tests/routes/audit-log.test.ts).
  "admin.audit.tsx": { url: () => "/admin/audit", expect: only(["reviewer", "admin"]) },
  "admin.audit.export.ts": { url: () => "/admin/audit/export?format=csv", expect: only(["reviewer", "admin"]) },
  "months._index.tsx": { url: () => "/months", expect: only(["reviewer"]) },
  // Any well-formed month has a page, closed or not (tests/routes/months.test.ts covers a closed one).
  "months.$month.tsx": { ...withParam("month", () => "2026-10", (month) => `/months/${month}`), expect: only(["reviewer"]) },
  // Closing the current month is confirmed on a page of its own, which says why it cannot be closed yet.
  "months.$month_.close.tsx": {
    ...withParam("month", () => shanghaiMonth(new Date()), (month) => `/months/${month}/close`),
    expect: only(["reviewer"]),
  },
  "admin.words.tsx": { url: () => "/admin/words", expect: only(["admin"]) },
  "news._index.tsx": { url: () => "/news", expect: everyone(200) },
  // This county has no adopted item: a missing one is 404 for everyone, never a login page
  // (tests/routes/news.test.ts shows an adopted one to anonymous visitors).
  "news.$id.tsx": { ...withParam("id", () => "999999", (id) => `/news/${id}`), expect: everyone(404) },
  "notifications.tsx": { url: () => "/notifications", expect: signedIn(200) },
  // 申诉: reviewers every unit's, a school's people their own unit's; admins are not part of it.
  "appeals.tsx": { url: () => "/appeals", expect: only(["correspondentA", "correspondentB", "leadA", "reviewer"]) },
  // The league tables: /rankings redirects signed-in people to the current month (Asia/Shanghai).
  "rankings._index.tsx": { url: () => "/rankings", expect: everyone(302) },
  "rankings.$period.tsx": {
    ...withParam("period", thisMonth, (period) => `/rankings/${period}`),
    expect: signedIn(200),
  },
  "rankings.$period.export.ts": {
    ...withParam("period", thisMonth, (period) => `/rankings/${period}/export?format=csv`),
    expect: signedIn(200),
  },
  // The correspondent register: reviewers and admins read every unit's, a lead their own unit's.
  "register._index.tsx": { url: () => "/register", expect: { ...signedIn(302), correspondentA: 403, correspondentB: 403 } },
  "register.$year.tsx": {
    ...withParam("year", thisYear, (year) => `/register/${year}`),
    expect: only(["leadA", "reviewer", "admin"]),
  },
  "register.$year.export.ts": {
    ...withParam("year", thisYear, (year) => `/register/${year}/export?format=xlsx`),
    expect: only(["leadA", "reviewer", "admin"]),
  },
  // Reminders: reviewers see every unit's, a school's people their own unit's.
  "reminders.tsx": { url: () => "/reminders", expect: only(["correspondentA", "correspondentB", "leadA", "reviewer"]) },
  // Notices: the list and published notices are public; a draft is the reviewers' (404 to everyone
  // else, as if it did not exist). tests/routes/notices.test.ts and summary.test.ts cover the rest.
  "notices._index.tsx": { url: () => "/notices", expect: everyone(200) },
  // 签发 of a draft is confirmed on its own page: the reviewers' only.
  "notices.$id_.publish.tsx": {
    url: () => `/notices/${fixture.draftNotice}/publish`,
    params: () => ({ id: String(fixture.draftNotice) }),
    expect: only(["reviewer"]),
  },
  "notices.$id.tsx": {
    ...withParam("id", () => fixture.draftNotice, (id) => `/notices/${id}`),
    expect: { ...everyone(404), reviewer: 200 },
  },
  "notices.$id.export.ts": {
    ...withParam("id", () => fixture.publishedNotice, (id) => `/notices/${id}/export?format=docx`),
    expect: everyone(200),
  },
  // 简报: the list and published issues (and their Word files) are public; a draft, its editor and
  // its 签发 page are the reviewers' (a draft is 404 to everyone else). tests/routes/bulletins.test.ts covers the rest.
  "bulletins._index.tsx": { url: () => "/bulletins", expect: everyone(200) },
  "bulletins.new.tsx": { url: () => "/bulletins/new", expect: only(["reviewer"]) },
  "bulletins.$id.tsx": {
    ...withParam("id", () => fixture.draftBulletin, (id) => `/bulletins/${id}`),
    expect: { ...everyone(404), reviewer: 200 },
  },
  "bulletins.$id_.edit.tsx": {
    ...withParam("id", () => fixture.draftBulletin, (id) => `/bulletins/${id}/edit`),
    expect: only(["reviewer"]),
  },
  "bulletins.$id_.publish.tsx": {
    ...withParam("id", () => fixture.draftBulletin, (id) => `/bulletins/${id}/publish`),
    expect: only(["reviewer"]),
  },
  "bulletins.$id.export.ts": {
    ...withParam("id", () => fixture.publishedBulletin, (id) => `/bulletins/${id}/export?format=docx`),
    expect: everyone(200),
  },
  // A year not yet summarised: reviewers see the preview (and its Excel), everyone else 404.
  "summary.$year.tsx": { ...withParam("year", () => "2025", (year) => `/summary/${year}`), expect: { ...everyone(404), reviewer: 200 } },
  "summary.$year.export.ts": {
    ...withParam("year", () => "2025", (year) => `/summary/${year}/export?format=xlsx`),
    expect: { ...everyone(404), reviewer: 200 },
  },
};

let county: County;
// Pages about one item need an item: one of unit A's, waiting in the bureau's queue.
const fixture = { submittedItem: 0, draftItem: 0, photo: 0, publishedNotice: 0, draftNotice: 0, draftBulletin: 0, publishedBulletin: 0 };
beforeAll(async () => {
  county = await setupCounty();
  fixture.submittedItem = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA });
  fixture.draftItem = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft" });
  fixture.photo = await attachPhoto(county.dbs.db, getConfig().dataDir, fixture.submittedItem, await png());
  // Two closed months of 2025: one with a published notice, one with a draft.
  const reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "赵审核" };
  for (const month of ["2025-11", "2025-12"]) {
    const closed = await closeMonth(county.dbs.db, { month, actor: reviewer, now: new Date("2026-01-05T02:00:00Z") });
    if (!closed.ok) throw new Error(closed.message);
  }
  const published = await draftMonthlyNotice(county.dbs.db, { month: "2025-11", actor: reviewer });
  const draft = await draftMonthlyNotice(county.dbs.db, { month: "2025-12", actor: reviewer });
  if (!published.ok || !draft.ok) throw new Error("notice fixtures");
  await updateNoticeText(county.dbs.db, {
    id: published.id, actor: reviewer, fields: { addressee: "各学校", docNumber: "X教体办〔2026〕1号", opening: "通报如下。", closing: "" },
  });
  const signed = await publishNotice(county.dbs.db, { id: published.id, actor: reviewer, signerName: "赵审核", dataDir: getConfig().dataDir });
  if (!signed.ok) throw new Error(signed.message);
  fixture.publishedNotice = published.id;
  fixture.draftNotice = draft.id;
  // A published 简报 carrying one adopted item, and a draft.
  const actor = { id: county.ids.reviewer, username: "reviewer", ip: "127.0.0.1" };
  const adopted = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted" });
  const issue = await createBulletin(county.dbs.db, actor);
  if (!issue.ok) throw new Error(issue.message);
  const added = await addBulletinItem(county.dbs.db, actor, { id: issue.id, version: issue.version, itemId: adopted });
  if (!added.ok) throw new Error(added.message);
  const out = await publishBulletin(county.dbs.db, actor, { id: issue.id, version: added.version, dataDir: getConfig().dataDir });
  if (!out.ok) throw new Error(out.message);
  fixture.publishedBulletin = issue.id;
  const draftIssue = await createBulletin(county.dbs.db, actor);
  if (!draftIssue.ok) throw new Error(draftIssue.message);
  fixture.draftBulletin = draftIssue.id;
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
