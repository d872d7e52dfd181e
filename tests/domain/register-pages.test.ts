// The register as a page shows it (app/domain/register-pages.ts): whole for a county, one kind's
// page for a province, with the kind's incomplete units and the register's counts.
import { describe, expect, it } from "vitest";
import { PAGE_SIZE, PAGED_ABOVE } from "~/domain/rankings-view";
import type { RegisterUnit, RegisterView } from "~/domain/register";
import { INCOMPLETE_SHOWN, registerShown } from "~/domain/register-pages";

function unit(kind: "t" | "d", n: number, complete: boolean): RegisterUnit {
  const person = { id: n, username: `u${n}`, name: `人${n}`, phone: "13800000000", registeredOn: "2026-03-01", late: false };
  return {
    id: n, code: `${kind.toUpperCase()}${String(n).padStart(5, "0")}`, name: `第${n}号${kind === "t" ? "中心校" : "小学"}`, township: "",
    kindCode: kind, kindName: kind === "t" ? "乡镇中心校" : "区直中小学",
    leads: complete ? [{ ...person, role: "school_lead" }] : [], correspondents: complete ? [{ ...person, role: "correspondent" }] : [],
    inactive: [], gaps: complete ? [] : ["lead", "correspondent"], gapText: complete ? "" : "缺少分管领导、信息员", gapsAtDeadline: null,
  };
}

/** A register of `t` township and `d` district units; every third unit of each is incomplete. */
function register(t: number, d: number): RegisterView {
  const kinds = [
    { code: "t", name: "乡镇中心校", units: Array.from({ length: t }, (_, i) => unit("t", i + 1, i % 3 !== 0)) },
    { code: "d", name: "区直中小学", units: Array.from({ length: d }, (_, i) => unit("d", t + i + 1, i % 3 !== 0)) },
  ];
  const all = kinds.flatMap((k) => k.units);
  const incomplete = all.filter((u) => u.gaps.length > 0).map((u) => ({ unitId: u.id, code: u.code, name: u.name, kindName: u.kindName, gaps: u.gaps, text: u.gapText }));
  return {
    year: 2026, deadline: "2026-04-10", deadlineLabel: "2026年4月10日", deadlinePassed: false, today: "2026-03-20", scope: "all",
    kinds, incomplete, incompleteToday: incomplete,
    totals: { units: all.length, leads: 0, correspondents: 0, late: 0, noPhone: 0, inactive: 0 },
  };
}

const Q = (kind: string | null = null, page = 1, q = "") => ({ kind, page, q });
const codes = (shown: ReturnType<typeof registerShown>) => shown.view.kinds.flatMap((k) => k.units.map((u) => u.code));

describe("registerShown", () => {
  it("shows a county's register whole whatever is asked, with every incomplete unit", () => {
    const view = register(30, 12);
    const shown = registerShown(view, Q("d", 3, "第1"));
    expect(shown.paging).toBeNull();
    expect(codes(shown)).toHaveLength(42);
    expect(shown.incomplete).toMatchObject({ listed: 14, kindName: null, atDeadline: 14, today: 14 });
    expect(shown.incomplete.rows).toHaveLength(14);
    expect("incomplete" in shown.view).toBe(false);
  });

  const province = register(PAGED_ABOVE + 400, 130);
  const cases: Array<[string, ReturnType<typeof Q>, string, number, number, string[]]> = [
    // [what, asked, kind shown, page, matches, first and last codes]
    ["the first kind's first page by default", Q(), "t", 1, PAGED_ABOVE + 400, ["T00001", `T${String(PAGE_SIZE).padStart(5, "0")}`]],
    ["a kind and a page", Q("d", 2), "d", 2, 130, [`D${String(PAGED_ABOVE + 400 + PAGE_SIZE + 1).padStart(5, "0")}`, `D${String(PAGED_ABOVE + 400 + 2 * PAGE_SIZE).padStart(5, "0")}`]],
    ["a page past the end: the last", Q("d", 99), "d", 3, 130, [`D${String(PAGED_ABOVE + 400 + 2 * PAGE_SIZE + 1).padStart(5, "0")}`, `D${String(PAGED_ABOVE + 530).padStart(5, "0")}`]],
    ["an unknown kind: the first", Q("x"), "t", 1, PAGED_ABOVE + 400, ["T00001", `T${String(PAGE_SIZE).padStart(5, "0")}`]],
    ["a code, any case", Q("t", 1, "t00123"), "t", 1, 1, ["T00123", "T00123"]],
    ["part of a name", Q("t", 1, "第12"), "t", 1, 11, ["T00012", "T00129"]],
  ];
  it.each(cases)("a province's register: %s", (_what, asked, kind, page, matches, [first, last]) => {
    const shown = registerShown(province, asked);
    expect(shown.paging).toMatchObject({ kind, page, matches, pageSize: PAGE_SIZE, own: null });
    expect(shown.paging!.tables).toEqual([
      { code: "t", name: "乡镇中心校", units: PAGED_ABOVE + 400 },
      { code: "d", name: "区直中小学", units: 130 },
    ]);
    const shownCodes = codes(shown);
    expect(shownCodes.length).toBeLessThanOrEqual(PAGE_SIZE);
    expect([shownCodes[0], shownCodes.at(-1)]).toEqual([first, last]);
  });

  it("lists the shown kind's incomplete units up to the limit, and the register's counts", () => {
    const township = registerShown(province, Q("t"));
    const incompleteTownship = Math.ceil((PAGED_ABOVE + 400) / 3);
    expect(township.incomplete).toMatchObject({ listed: incompleteTownship, kindName: "乡镇中心校", atDeadline: province.incomplete.length, today: province.incompleteToday.length });
    expect(township.incomplete.rows).toHaveLength(Math.min(INCOMPLETE_SHOWN, incompleteTownship));
    expect(township.incomplete.rows.every((r) => r.kindName === "乡镇中心校")).toBe(true);
    // The search narrows the units shown, not the kind's incomplete list.
    expect(registerShown(province, Q("t", 1, "T00001")).incomplete.listed).toBe(incompleteTownship);
    const district = registerShown(province, Q("d"));
    expect(district.incomplete.rows.map((r) => r.code)).toEqual(province.kinds[1].units.filter((u) => u.gaps.length > 0).map((u) => u.code));
  });

  it("shows a lead's own unit whole", () => {
    const own = { ...province, scope: "unit" as const };
    expect(registerShown(own, Q("d", 2)).paging).toBeNull();
  });
});
