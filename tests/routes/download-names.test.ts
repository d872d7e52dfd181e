// Download names carry text an administrator typed (a unit's name, the bulletin's name, a 文号's
// prefix). encodeURIComponent leaves ' ( ) * in them, which RFC 5987 `filename*` may not hold: a
// unit named 龙泉镇中心学校(东校区) made its register's Content-Disposition one that strict readers
// refuse whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachmentDisposition, extValue } from "~/domain/download-name";
import * as exportRoute from "~/routes/register.$year.export";
import { call, setupCounty, type County } from "../support/app";

/** RFC 6266 with RFC 5987: the ASCII name quoted, and the UTF-8 one as attr-char or %XX only. */
const WELL_FORMED = /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''((?:%[0-9A-F]{2}|[A-Za-z0-9!#$&+.^_`|~-])+)$/;

function nameIn(header: string | null): string {
  const m = WELL_FORMED.exec(header ?? "");
  expect(m, `not well formed: ${header}`).not.toBeNull();
  return decodeURIComponent(m![1]);
}

describe("attachmentDisposition", () => {
  it("encodes every character RFC 5987 does not allow bare, and the name reads back the same", () => {
    for (const name of ["龙泉镇中心学校(东校区).xlsx", "It's*.docx", "排行榜-2026年11月.csv", "a b;c,\"d\"\\e\r\nf.xlsx", "~!#$&+^_`|.x"]) {
      expect(nameIn(attachmentDisposition("register-2026.xlsx", name))).toBe(name);
    }
    expect(extValue("(')*")).toBe("%28%27%29%2A");
  });

  it("keeps the ASCII name to characters that need no quoting", () => {
    expect(attachmentDisposition('a"b\r\nc; d.xlsx', "x")).toBe(`attachment; filename="a_b__c__d.xlsx"; filename*=UTF-8''x`);
  });
});

describe("GET /register/:year/export for a unit whose name holds ASCII brackets", () => {
  let county: County;
  beforeAll(async () => {
    county = await setupCounty();
    await county.cookieFor("leadA");
    await county.dbs.db.updateTable("units").set({ name: "城关镇中心学校(东校区)" }).where("id", "=", county.units.A).execute();
  });
  afterAll(async () => county.dbs.dispose());

  it("answers a well-formed Content-Disposition carrying the unit's name", async () => {
    const year = "2026";
    const r = await call(exportRoute.loader, county, { url: `/register/${year}/export?format=xlsx`, user: "leadA", params: { year } });
    expect(r.status).toBe(200);
    expect(nameIn(r.headers.get("Content-Disposition"))).toBe(`信息员登记表-${year}年-城关镇中心学校(东校区).xlsx`);
  });
});
