// The start message lists the demo accounts only as far as they sign in with the demo password: a
// county's own database started with SEED_DEMO left on (the default) has none of them, and a demo
// account whose password was changed, or that was deactivated, is not offered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, demoAccountsSigningIn } from "~/models/demo.server";
import { hashPassword } from "~/models/password.server";
import { PASSWORD, setupCounty, type County } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

describe("the demo county", () => {
  let county: County;
  beforeAll(async () => {
    ({ county } = await openDemoCountyAt([]));
  });
  afterAll(async () => closeDemoCounty(county));

  it("lists every demo account with the demo password, none with another", async () => {
    expect(await demoAccountsSigningIn(county.dbs.db, PASSWORD)).toEqual(DEMO_ACCOUNTS);
    expect(await demoAccountsSigningIn(county.dbs.db, "Another#2026")).toEqual([]);
  });

  it("leaves out an account whose password was changed and one that was deactivated", async () => {
    const { db } = county.dbs;
    await db.updateTable("accounts").set({ password_hash: await hashPassword("Changed#2026") }).where("username", "=", "x01-c1").execute();
    await db.updateTable("accounts").set({ active: 0 }).where("username", "=", "x01-lead").execute();
    expect((await demoAccountsSigningIn(db, PASSWORD)).map((a) => a.username)).toEqual(["admin", "reviewer"]);
  });
});

describe("a county's own database", () => {
  let county: County;
  beforeAll(async () => {
    county = await setupCounty();
  });
  afterAll(async () => county.dbs.dispose());

  it("lists none of the demo's school accounts, which it does not have", async () => {
    const listed = (await demoAccountsSigningIn(county.dbs.db, PASSWORD)).map((a) => a.username);
    expect(listed).not.toContain("x01-c1");
    expect(listed).not.toContain("x01-lead");
    expect(await demoAccountsSigningIn(county.dbs.db, "Demo@2026")).toEqual([]);
  });
});
