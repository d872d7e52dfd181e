// Every route with an id in its address reads it with parseId: "0x1", "1e0", " 1" and the like
// are not the row 1 (Number() used to say they were), they are 404. A route module with "$id" in
// its name that is missing from ROUTES fails the first test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { publishedMonthlyNotice } from "../support/notice-fixtures";
import { attachPhoto, png } from "../support/photos";
import { getConfig } from "~/models/env.server";
import { createRequest } from "~/models/requests.server";
import { addBulletinItem, createBulletin } from "~/models/bulletins.server";
import { publishBulletin } from "~/models/bulletin-publish.server";

const modules = import.meta.glob("../../app/routes/*.{ts,tsx}");
const routeName = (key: string) => key.replace("../../app/routes/", "");

interface Route {
  /** The address with the id in it. */
  url: (id: string) => string;
  /** The row it shows to `user`. */
  id: (c: County) => number;
  user: UserKey | null;
}

const fixture = { submitted: 0, draft: 0, adopted: 0, photo: 0, published: 0, draftNotice: 0, request: 0, bulletin: 0, draftBulletin: 0 };

const ROUTES: Record<string, Route> = {
  "items.$id.tsx": { url: (id) => `/items/${id}`, id: () => fixture.submitted, user: "correspondentA" },
  "items.$id_.edit.tsx": { url: (id) => `/items/${id}/edit`, id: () => fixture.draft, user: "correspondentA" },
  "review.$id.tsx": { url: (id) => `/review/${id}`, id: () => fixture.submitted, user: "reviewer" },
  "photos.$id.tsx": { url: (id) => `/photos/${id}`, id: () => fixture.photo, user: "reviewer" },
  "photos.$id.thumb.tsx": { url: (id) => `/photos/${id}/thumb`, id: () => fixture.photo, user: "reviewer" },
  "news.$id.tsx": { url: (id) => `/news/${id}`, id: () => fixture.adopted, user: null },
  "notices.$id.tsx": { url: (id) => `/notices/${id}`, id: () => fixture.published, user: null },
  "notices.$id_.publish.tsx": { url: (id) => `/notices/${id}/publish`, id: () => fixture.published, user: "reviewer" },
  "notices.$id.export.ts": { url: (id) => `/notices/${id}/export?format=docx`, id: () => fixture.published, user: null },
  "bulletins.$id.tsx": { url: (id) => `/bulletins/${id}`, id: () => fixture.bulletin, user: null },
  "bulletins.$id.export.ts": { url: (id) => `/bulletins/${id}/export?format=docx`, id: () => fixture.bulletin, user: null },
  "bulletins.$id_.edit.tsx": { url: (id) => `/bulletins/${id}/edit`, id: () => fixture.draftBulletin, user: "reviewer" },
  "bulletins.$id_.publish.tsx": { url: (id) => `/bulletins/${id}/publish`, id: () => fixture.draftBulletin, user: "reviewer" },
  "admin.units.$id.tsx": { url: (id) => `/admin/units/${id}`, id: (c) => c.units.A, user: "admin" },
  "admin.accounts.$id.tsx": { url: (id) => `/admin/accounts/${id}`, id: (c) => c.ids.correspondentA, user: "admin" },
  "requests.$id.tsx": { url: (id) => `/requests/${id}`, id: () => fixture.request, user: "reviewer" },
};

/** Spellings of the same number that are not an id. */
const LOOKALIKES = (n: number) => [
  `0x${n.toString(16)}`, `${n}e0`, ` ${n}`, `${n} `, `+${n}`, `${n}.0`, `0b${n.toString(2)}`, `0o${n.toString(8)}`, `${n}\t`,
];

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  fixture.submitted = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA });
  fixture.draft = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft" });
  fixture.adopted = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "good" });
  fixture.photo = await attachPhoto(county.dbs.db, getConfig().dataDir, fixture.submitted, await png());
  const request = await createRequest(county.dbs.db, { id: county.ids.reviewer, username: "reviewer", role: "reviewer", unitId: null, ip: "127.0.0.1" }, {
    topic: "秋季运动会", guidance: "", dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), unitIds: [county.units.A],
  });
  if (!request.ok) throw new Error(request.message);
  fixture.request = request.id;
  fixture.published = await publishedMonthlyNotice(county);
  const actor = { id: county.ids.reviewer, username: "reviewer", ip: "127.0.0.1" };
  const issue = await createBulletin(county.dbs.db, actor);
  if (!issue.ok) throw new Error(issue.message);
  const added = await addBulletinItem(county.dbs.db, actor, { id: issue.id, version: issue.version, itemId: fixture.adopted });
  if (!added.ok) throw new Error(added.message);
  const out = await publishBulletin(county.dbs.db, actor, { id: issue.id, version: added.version, dataDir: getConfig().dataDir });
  if (!out.ok) throw new Error(out.message);
  fixture.bulletin = issue.id;
  const draft = await createBulletin(county.dbs.db, actor);
  if (!draft.ok) throw new Error(draft.message);
  fixture.draftBulletin = draft.id;
});
afterAll(async () => county.dbs.dispose());

it("covers every route module with an id in its address", () => {
  const withId = Object.keys(modules).map(routeName).filter((f) => f.includes("$id")).sort();
  expect(withId).toEqual(Object.keys(ROUTES).sort());
});

describe.each(Object.entries(ROUTES))("%s", (file, route) => {
  const load = async (id: string) => {
    const mod = (await modules[`../../app/routes/${file}`]()) as { loader?: any };
    return call(mod.loader, county, { url: route.url(encodeURIComponent(id)), params: { id }, user: route.user ?? undefined });
  };

  it("shows the row at its own id", async () => {
    expect((await load(String(route.id(county)))).status).toBe(200);
  });

  it("answers 404 to other spellings of the same number", async () => {
    for (const spelling of LOOKALIKES(route.id(county))) {
      expect((await load(spelling)).status, JSON.stringify(spelling)).toBe(404);
    }
  });
});
