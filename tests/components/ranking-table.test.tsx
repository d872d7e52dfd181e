// The league table's markup: the phone card's labels come once per table from its own rules, not
// once per cell, and a label an administrator typed (a channel's name) cannot break out of them;
// on the server the rows' markup may come from a cache keyed by everything they show.
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { unitColumns, type UnitTableRow } from "~/components/ranking-columns";
import { replaceRows } from "~/components/kept-markup";
import { cardLabelRules, cssString, RankingTable } from "~/components/ranking-table";
import { cachedMarkup, cachedMarkupParts, cachedMarkupSize } from "~/lib/markup-cache.server";

describe("cssString", () => {
  it.each([
    ["积分", '"积分"'],
    ['a"b', '"a\\22 b"'],
    ["a\\b", '"a\\5c b"'],
    ["</style><script>", '"\\3c /style\\3e \\3c script\\3e "'],
    ["a&b", '"a\\26 b"'],
    ["a\nb", '"a\\a b"'],
  ])("%j → %s", (text, css) => {
    expect(cssString(text)).toBe(css);
  });
});

const row = (unitId: number, rank: number, name: string): UnitTableRow => ({
  unitId, code: `U${unitId}`, name, quota: 2, submitted: 3, adopted: 1, late: 0, national: 0, province: 0, city: 0,
  status: "short", completion: 0.5, points: 1.5, rank, tied: false, movement: 1, channels: [{ submitted: 3, adopted: 1 }], own: unitId === 2,
});

describe("RankingTable", () => {
  const columns = unitColumns("month", [{ id: 7, name: '频道"甲"' }]);
  const html = renderToString(
    <RankingTable columns={columns} data={[row(1, 1, "一校"), row(2, 2, "二校")]} caption="表" rowKey={(r) => String(r.unitId)} rowId={(r) => (r.own ? "own-row" : undefined)} />,
  );

  it("labels no cell itself: one rule per labelled column, scoped to the table", () => {
    expect(html).not.toContain("data-label");
    const scope = /<table class="data rank-table" data-cards="([^"]+)"/.exec(html)?.[1];
    expect(scope).toBeTruthy();
    const labels = ["任务数", "报送", "采用", '频道"甲"（报送/采用）', "完成率", "迟报", "状态", "积分", "变化"];
    const rules = labels.map((label, i) => `table[data-cards="${scope}"] td:nth-child(${i + 3}){--cell-label:${cssString(label)}}`).join("");
    // 名次 and 单位 lead the card without a label.
    expect(html).toContain(`<style>${rules}</style>`);
    expect(cardLabelRules(scope!, columns.map((c) => ({ id: c.id!, columnDef: c })))).toBe(rules);
  });

  it("renders every row's cells in column order, the own row marked", () => {
    const rows = [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].slice(1);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect([...r[1].matchAll(/<td/g)]).toHaveLength(columns.length);
    expect(html).toContain('<tr id="own-row">');
    // A channel's 报送/采用 takes two of the phone card's four columns, so its long label reads on one line.
    expect(html).toContain('<td class="num">2</td><td class="num">3</td><td class="num">1</td><td class="num rank-wide">3/1</td><td class="num">50%</td>');
  });
});

describe("RankingTable with the server's markup cache", () => {
  const columns = unitColumns("year", [{ id: 7, name: "频道" }]);
  const table = (data: UnitTableRow[], cache?: typeof cachedMarkup) =>
    renderToString(<RankingTable columns={columns} data={data} caption="表" rowKey={(r) => String(r.unitId)} rowClassName={(r) => (r.own ? "own-row" : undefined)} rowsMarkup={cache} />);
  const year = (r: UnitTableRow): UnitTableRow => ({ ...r, status: null, months: { met: 3, short: 1, none: 0 } });

  it("gives the same markup as rendering the rows, and renders again when anything they show differs", () => {
    const data = [year(row(1, 1, "一校")), year(row(2, 2, "二校"))];
    const before = cachedMarkupSize();
    expect(table(data, cachedMarkup)).toBe(table(data));
    expect(cachedMarkupSize()).toBe(before + 1);
    // Kept: the same rows again render nothing new.
    expect(table(data.map((r) => ({ ...r })), cachedMarkup)).toBe(table(data));
    expect(cachedMarkupSize()).toBe(before + 1);
    const changed = [data[0], { ...data[1], points: 9.5 }];
    expect(table(changed, cachedMarkup)).toBe(table(changed));
    expect(table(changed, cachedMarkup)).toContain("<strong>9.5</strong>");
    const otherOwn = data.map((r) => ({ ...r, own: r.unitId === 1 }));
    expect(table(otherOwn, cachedMarkup)).toBe(table(otherOwn));
    expect(table(otherOwn, cachedMarkup)).toContain('<tr class="own-row">');
    expect(cachedMarkupSize()).toBe(before + 3);
  });
});

describe("RankingTable kept whole (head and rows) on the server", () => {
  const year = (r: UnitTableRow): UnitTableRow => ({ ...r, status: null, months: { met: 3, short: 1, none: 0 } });
  const data = [year(row(1, 1, "一校")), year(row(2, 2, "二校"))];
  const table = (channels: Array<{ id: number; name: string }>, rows: UnitTableRow[], cache?: typeof cachedMarkup) =>
    renderToString(
      <RankingTable
        columns={unitColumns("year", channels)}
        data={rows}
        caption="表"
        rowKey={(r) => String(r.unitId)}
        rowClassName={(r) => (r.own ? "own-row" : undefined)}
        rowsMarkup={cache}
        columnsKey={cache ? ["unit", "year", channels] : undefined}
      />,
    );

  it("gives the same markup as rendering the table, and renders again when its columns or rows differ", () => {
    const channels = [{ id: 7, name: "频道乙" }];
    const before = cachedMarkupSize();
    const plain = table(channels, data);
    expect(table(channels, data, cachedMarkup)).toBe(plain);
    expect(cachedMarkupSize()).toBe(before + 1);
    expect(table(channels, data.map((r) => ({ ...r })), cachedMarkup)).toBe(plain);
    expect(cachedMarkupSize()).toBe(before + 1);
    // A renamed channel changes the head only: a table of its own.
    const renamed = [{ id: 7, name: "频道丙" }];
    expect(table(renamed, data, cachedMarkup)).toBe(table(renamed, data));
    expect(table(renamed, data, cachedMarkup)).toContain("频道丙");
    const changed = [data[0], { ...data[1], points: 7.25 }];
    expect(table(channels, changed, cachedMarkup)).toBe(table(channels, changed));
    expect(table(channels, changed, cachedMarkup)).toContain("<strong>7.25</strong>");
    expect(cachedMarkupSize()).toBe(before + 3);
  });
});

describe("RankingTable kept once for every viewer, their own row rendered into it", () => {
  const channels = [{ id: 7, name: "频道丁" }];
  // A fresh table (points no other test uses), its rows as everyone sees them.
  const rows = [row(1, 1, "一校"), row(2, 2, "二校"), row(3, 3, "三校")].map((r) => ({ ...r, points: r.points + 100, own: false }));
  const seenBy = (unitId: number | null) => rows.map((r) => ({ ...r, own: r.unitId === unitId }));
  const unmarked = (r: UnitTableRow) => (r.own ? { ...r, own: false } : null);
  const table = (data: UnitTableRow[], cache?: typeof cachedMarkup) =>
    renderToString(
      <RankingTable
        columns={unitColumns("month", channels)}
        data={data}
        caption="表"
        rowKey={(r) => String(r.unitId)}
        rowClassName={(r) => (r.own ? "own-row" : undefined)}
        rowId={(r) => (r.own ? "own-row" : undefined)}
        rowsMarkup={cache}
        columnsKey={cache ? ["unit", "month", channels] : undefined}
        unmarked={cache ? unmarked : undefined}
      />,
    );

  it("gives each viewer exactly the markup of rendering their table, from one kept table and their own row kept with it", () => {
    const before = cachedMarkupSize();
    const partsBefore = cachedMarkupParts();
    for (const unitId of [2, 1, 3, null, 2, 1]) {
      const plain = table(seenBy(unitId));
      expect(table(seenBy(unitId), cachedMarkup)).toBe(plain);
      if (unitId !== null) {
        expect(plain).toContain('<tr id="own-row" class="own-row">');
        expect(plain).toContain("本单位");
      }
    }
    expect(cachedMarkupSize()).toBe(before + 1);
    // One own row for each of the three schools, kept with the table: the repeat visits render none.
    expect(cachedMarkupParts()).toBe(partsBefore + 3);
    // A change to what everyone sees is a table of its own.
    const changed = seenBy(3).map((r) => (r.unitId === 1 ? { ...r, adopted: 9 } : r));
    expect(table(changed, cachedMarkup)).toBe(table(changed));
    expect(cachedMarkupSize()).toBe(before + 2);
  });
});

describe("replaceRows", () => {
  const table = "<style>x</style><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr><tr class=\"c\"><td><strong>2</strong></td></tr><tr><td>3</td></tr></tbody></table>";
  it.each([
    [[[0, "<tr><td>一</td></tr>"]], "<tr><td>一</td></tr><tr class=\"c\"><td><strong>2</strong></td></tr><tr><td>3</td></tr>"],
    [[[1, "<tr id=\"own-row\"><td>二</td></tr>"]], "<tr><td>1</td></tr><tr id=\"own-row\"><td>二</td></tr><tr><td>3</td></tr>"],
    [[[2, "<tr><td>三</td></tr>"], [0, "<tr><td>一</td></tr>"]], "<tr><td>一</td></tr><tr class=\"c\"><td><strong>2</strong></td></tr><tr><td>三</td></tr>"],
    [[], "<tr><td>1</td></tr><tr class=\"c\"><td><strong>2</strong></td></tr><tr><td>3</td></tr>"],
  ] as Array<[Array<[number, string]>, string]>)("%j", (replacements, body) => {
    expect(replaceRows(table, new Map(replacements))).toBe(`<style>x</style><table><thead><tr><th>a</th></tr></thead><tbody>${body}</tbody></table>`);
  });

  it("refuses a row the table does not have, or markup without a body", () => {
    expect(() => replaceRows(table, new Map([[3, "<tr></tr>"]]))).toThrow("no row 3");
    expect(() => replaceRows(table, new Map([[-1, "<tr></tr>"]]))).toThrow("no row -1");
    expect(() => replaceRows("<table><tr><td>1</td></tr></table>", new Map([[0, "<tr></tr>"]]))).toThrow("no table body");
  });
});
