// The parts of the notice and register pages the server keeps as markup: the same markup as
// rendering them, a different unit's marks never answered from another's, and what a write changes
// on the next render. The published notice as schools and the public read it is kept per figures
// write and is the same for every unit.
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoticeSheet } from "~/components/notice-sheet";
import { AllUnits } from "~/components/register-view";
import { registerShown } from "~/domain/register-pages";
import { standingOf, type NoticeDocument } from "~/domain/notices";
import { cachedMarkup, cachedMarkupSize } from "~/lib/markup-cache.server";
import { getNotice } from "~/models/notices.server";
import { registerFor } from "~/models/register.server";
import type { County } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

/** A county's register is shown whole whatever the page asks. */
const WHOLE = { kind: null, page: 1, q: "" };

let county: County;
beforeAll(async () => {
  ({ county } = await openDemoCountyAt([]));
});
afterAll(async () => closeDemoCounty(county));

const schoolOf = (unitId: number) => ({ role: "school_lead" as const, unitId });
const anonymous = { role: null, unitId: null };

async function publishedNoticeNaming(): Promise<{ id: number; named: number; unnamed: number }> {
  const rows = await county.dbs.db
    .selectFrom("notices")
    .select(["id", "data_json"])
    .where("status", "=", "published")
    .where("kind", "=", "monthly")
    .orderBy("id")
    .execute();
  const units = (await county.dbs.db.selectFrom("units").select("id").where("active", "=", 1).execute()).map((u) => u.id);
  const names = (json: string, unitId: number) => {
    const { commended, criticised } = standingOf((JSON.parse(json) as NoticeDocument).body, unitId);
    return !!(commended || criticised);
  };
  for (const row of rows) {
    const named = units.find((u) => names(row.data_json, u));
    const unnamed = units.find((u) => !names(row.data_json, u));
    if (named !== undefined && unnamed !== undefined) return { id: row.id, named, unnamed };
  }
  throw new Error("演示县没有点名部分单位的已签发通报");
}

describe("a published notice", () => {
  it("reads alike for every school and the public, kept until the next figures write, and never a draft", async () => {
    const db = county.dbs.reader;
    const { id } = await publishedNoticeNaming();
    const a = await getNotice(db, id, schoolOf(county.units.A));
    const b = await getNotice(db, id, schoolOf(county.units.B));
    const pub = await getNotice(db, id, anonymous);
    expect(a).not.toBeNull();
    expect(a).toEqual(b);
    expect(a).toEqual(pub);
    expect(a!.adjustments).toEqual([]);
    // Kept: the same document, read-only.
    expect(b!.doc).toBe(a!.doc);
    expect(() => ((a!.doc.header as { title: string }).title = "改")).toThrow(TypeError);

    // A draft again (a figures write): gone for schools and the public at once, still the reviewers'.
    await county.dbs.db.updateTable("notices").set({ status: "draft" }).where("id", "=", id).execute();
    expect(await getNotice(db, id, schoolOf(county.units.A))).toBeNull();
    expect(await getNotice(db, id, anonymous)).toBeNull();
    expect((await getNotice(db, id, { role: "reviewer", unitId: null }))?.status).toBe("draft");
    await county.dbs.db.updateTable("notices").set({ status: "published" }).where("id", "=", id).execute();
    const again = await getNotice(db, id, schoolOf(county.units.B));
    expect(again).toEqual(a);

    // The signer's new name is on the next read.
    const publisher = (await county.dbs.db.selectFrom("notices").select("published_by").where("id", "=", id).executeTakeFirstOrThrow()).published_by!;
    await county.dbs.db.updateTable("accounts").set({ display_name: "改名后的审核员" }).where("id", "=", publisher).execute();
    expect((await getNotice(db, id, anonymous))!.publishedBy).toBe("改名后的审核员");
  });

  it("renders its document from kept markup exactly as without, each unit with its own marks", async () => {
    const { id, named, unnamed } = await publishedNoticeNaming();
    const notice = (await getNotice(county.dbs.reader, id, anonymous))!;
    const sheet = (own: { unitId: number; unitName: string } | null, cache?: typeof cachedMarkup) =>
      renderToString(
        <NoticeSheet notice={notice} downloads={null} manage={false} own={own} signerName="" failure={null} busy={false} documentMarkup={cache} />,
      );
    const before = cachedMarkupSize();
    const plainNamed = sheet({ unitId: named, unitName: "甲" });
    expect(plainNamed).toContain('<li class="is-own">');
    expect(sheet({ unitId: named, unitName: "甲" }, cachedMarkup)).toBe(plainNamed);
    expect(sheet({ unitId: named, unitName: "甲" }, cachedMarkup)).toBe(plainNamed);
    const plainUnnamed = sheet({ unitId: unnamed, unitName: "乙" });
    expect(plainUnnamed).not.toContain('<li class="is-own">');
    expect(plainUnnamed).toContain('<tr class="is-own">');
    expect(sheet({ unitId: unnamed, unitName: "乙" }, cachedMarkup)).toBe(plainUnnamed);
    expect(sheet(null, cachedMarkup)).toBe(sheet(null));
    expect(cachedMarkupSize()).toBe(before + 3);
  });
});

describe("the register of every unit", () => {
  it("renders its units' tables from kept markup exactly as without, and a changed phone number on the next render", async () => {
    const db = county.dbs.reader;
    const year = Number((await county.dbs.db.selectFrom("accounts").select("registered_on").where("registered_on", "is not", null).orderBy("registered_on", "desc").executeTakeFirstOrThrow()).registered_on!.slice(0, 4));
    const page = async (linkAccounts: boolean, cache?: typeof cachedMarkup) =>
      renderToString(<AllUnits shown={registerShown(await registerFor(db, year, { unitId: null }), WHOLE)} linkAccounts={linkAccounts} markup={cache} />);
    const plain = await page(false);
    expect(plain).toContain('id="unit-X01"');
    expect(await page(false, cachedMarkup)).toBe(plain);
    expect(await page(false, cachedMarkup)).toBe(plain);

    await county.dbs.db.updateTable("accounts").set({ phone: "13900001234" }).where("id", "=", county.ids.leadA).execute();
    const changed = await page(false);
    expect(changed).toContain("13900001234");
    expect(await page(false, cachedMarkup)).toBe(changed);
  });
});

describe("the register's figures", () => {
  it("are kept per unit and for every unit until the next figures write, and no unit reads another's", async () => {
    const db = county.dbs.reader;
    const year = 2026;
    const codes = (view: Awaited<ReturnType<typeof registerFor>>) => view.kinds.flatMap((k) => k.units.map((u) => u.code));
    const a = await registerFor(db, year, { unitId: county.units.A });
    const b = await registerFor(db, year, { unitId: county.units.B });
    expect(codes(a)).toEqual(["X01"]);
    expect(codes(b)).toEqual(["Q01"]);
    const all = await registerFor(db, year, { unitId: null });
    expect(codes(all)).toContain("X01");
    expect(codes(all)).toContain("Q01");
    // Kept: the same view again, read-only.
    expect(await registerFor(db, year, { unitId: county.units.A })).toBe(a);
    expect(await registerFor(db, year, { unitId: null })).toBe(all);
    expect(() => (a.kinds as unknown[]).pop()).toThrow(TypeError);

    // A new phone number of unit B's lead: on B's and everyone's next read, A's unchanged.
    const leadB = (await county.dbs.db.selectFrom("accounts").select("id").where("username", "=", "q01-lead").executeTakeFirstOrThrow()).id;
    await county.dbs.db.updateTable("accounts").set({ phone: "13700005678" }).where("id", "=", leadB).execute();
    const phones = (view: Awaited<ReturnType<typeof registerFor>>) => view.kinds.flatMap((k) => k.units.flatMap((u) => u.leads.map((p) => p.phone)));
    expect(phones(await registerFor(db, year, { unitId: county.units.B }))).toContain("13700005678");
    expect(phones(await registerFor(db, year, { unitId: null }))).toContain("13700005678");
    const afterA = await registerFor(db, year, { unitId: county.units.A });
    expect(codes(afterA)).toEqual(["X01"]);
    expect(phones(afterA)).not.toContain("13700005678");
    expect(afterA).toEqual(a);
  });
});
