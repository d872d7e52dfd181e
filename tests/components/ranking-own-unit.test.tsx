// The own unit's card above the league tables: its rank reads "10 / 12" in one piece, with a tie
// named on a line of its own under it, so the figure does not break in the middle on a phone.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OwnUnit, type OwnUnitRow } from "~/components/ranking-own-unit";

const row = (tied: boolean) =>
  ({
    name: "城关镇中心学校", kindName: "乡镇中心校", rank: 10, tied, unitsInKind: 12, points: -10, adopted: 0, quota: 10,
    completion: 0, status: "short", movement: -9, own: true,
  }) as unknown as OwnUnitRow;

describe("the own unit's rank", () => {
  it.each([
    ["tied", true, '<dd>10 / 12<span class="rank-own__note">并列</span></dd>'],
    ["alone", false, "<dd>10 / 12</dd>"],
  ])("reads as one figure when %s", (_, tied, markup) => {
    const html = renderToStaticMarkup(<OwnUnit own={row(tied)} />);
    expect(html).toContain(markup);
    expect(html).not.toContain("（并列） /");
  });
});

describe("the own unit's points", () => {
  it("read -10 as the league table's row does, so a figure copied from either is a number in a spreadsheet", () => {
    const html = renderToStaticMarkup(<OwnUnit own={row(false)} />);
    expect(html).toContain("<dt>积分</dt><dd>-10</dd>");
    expect(html).not.toContain("−");
  });
});
