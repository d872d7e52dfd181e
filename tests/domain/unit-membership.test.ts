// Which units are in a month's league: those that existed by the end of the month and were active
// at some time during it (Asia/Shanghai months; instants stored in UTC).
import { describe, expect, it } from "vitest";
import { monthMembership } from "~/domain/unit-membership";

/** A unit deactivated (`active: false`) or reactivated (`active: true`) at an instant (ISO UTC). */
interface StatusChange {
  at: string;
  active: boolean;
}

/** The rule for one unit whose times are ISO instants, as stored (the directory passes epoch ms). */
function unitInMonth(unit: { createdAt: string; active: boolean; changes: readonly StatusChange[] }, month: string): boolean {
  const changes = unit.changes.map((c) => ({ at: Date.parse(c.at), active: c.active }));
  return monthMembership(month)(Date.parse(unit.createdAt), unit.active, changes);
}

/** A Shanghai wall-clock time ("2026-10-15 09:00") as the UTC instant stored. */
const sh = (wallClock: string) => new Date(`${wallClock.replace(" ", "T")}:00+08:00`).toISOString();
const off = (at: string): StatusChange => ({ at, active: false });
const on = (at: string): StatusChange => ({ at, active: true });

const LONG_AGO = "2020-01-01T00:00:00.000Z";

describe("unitInMonth", () => {
  const cases: Array<[string, string, boolean, StatusChange[], string, boolean]> = [
    // [label, createdAt, active now, changes, month, in the league]
    ["一直在用的单位", LONG_AGO, true, [], "2026-10", true],
    ["月中新建：当月在内", sh("2026-10-15 09:00"), true, [], "2026-10", true],
    ["月中新建：之前的月份不在内", sh("2026-10-15 09:00"), true, [], "2026-09", false],
    ["次月新建（11 月 2 日）：10 月不在内", sh("2026-11-02 10:00"), true, [], "2026-10", false],
    ["次月新建：当月在内", sh("2026-11-02 10:00"), true, [], "2026-11", true],
    ["10 月 31 日 23:59 新建：10 月在内", sh("2026-10-31 23:59"), true, [], "2026-10", true],
    ["UTC 10 月 31 日 16:00 即上海 11 月 1 日：10 月不在内", "2026-10-31T16:00:00.000Z", true, [], "2026-10", false],
    ["UTC 10 月 31 日 16:00 新建：11 月在内", "2026-10-31T16:00:00.000Z", true, [], "2026-11", true],
    ["月中停用：当月在内", LONG_AGO, false, [off(sh("2026-10-20 15:00"))], "2026-10", true],
    ["10 月整月在用、11 月 2 日停用：10 月在内", LONG_AGO, false, [off(sh("2026-11-02 10:00"))], "2026-10", true],
    ["11 月 2 日停用：11 月仍在内", LONG_AGO, false, [off(sh("2026-11-02 10:00"))], "2026-11", true],
    ["11 月 2 日停用、未再启用：12 月不在内", LONG_AGO, false, [off(sh("2026-11-02 10:00"))], "2026-12", false],
    ["月初之前停用、未再启用：不在内", LONG_AGO, false, [off(sh("2026-09-20 10:00"))], "2026-10", false],
    ["上海 10 月 31 日 23:59 停用：11 月不在内", LONG_AGO, false, [off("2026-10-31T15:59:00.000Z")], "2026-11", false],
    ["上海 11 月 1 日 00:00 停用：10 月在内", LONG_AGO, false, [off("2026-10-31T16:00:00.000Z")], "2026-10", true],
    ["上海 11 月 1 日 00:00 停用：11 月不在内", LONG_AGO, false, [off("2026-10-31T16:00:00.000Z")], "2026-11", false],
    ["上海 11 月 1 日 00:00 重新启用：11 月在内", LONG_AGO, true, [off(sh("2026-09-10 10:00")), on("2026-10-31T16:00:00.000Z")], "2026-11", true],
    ["上海 10 月 31 日 23:59 重新启用：10 月在内", LONG_AGO, true, [off(sh("2026-09-10 10:00")), on("2026-10-31T15:59:00.000Z")], "2026-10", true],
    ["同月内停用又启用：在内", LONG_AGO, true, [off(sh("2026-10-05 10:00")), on(sh("2026-10-25 10:00"))], "2026-10", true],
    ["月初之前停用、月中重新启用：在内", LONG_AGO, true, [off(sh("2026-08-05 10:00")), on(sh("2026-10-25 10:00"))], "2026-10", true],
    ["8 月停用、11 月重新启用：8 月在内", LONG_AGO, true, [off(sh("2026-08-05 10:00")), on(sh("2026-11-12 10:00"))], "2026-08", true],
    ["8 月停用、11 月重新启用：9 月不在内", LONG_AGO, true, [off(sh("2026-08-05 10:00")), on(sh("2026-11-12 10:00"))], "2026-09", false],
    ["8 月停用、11 月重新启用：10 月不在内", LONG_AGO, true, [off(sh("2026-08-05 10:00")), on(sh("2026-11-12 10:00"))], "2026-10", false],
    ["8 月停用、11 月重新启用：11 月在内", LONG_AGO, true, [off(sh("2026-08-05 10:00")), on(sh("2026-11-12 10:00"))], "2026-11", true],
    ["8 月停用、11 月重新启用：12 月在内", LONG_AGO, true, [off(sh("2026-08-05 10:00")), on(sh("2026-11-12 10:00"))], "2026-12", true],
    ["重新启用后又停用：之后的月份不在内", LONG_AGO, false, [off(sh("2026-08-05 10:00")), on(sh("2026-09-12 10:00")), off(sh("2026-09-30 10:00"))], "2026-10", false],
    ["跨年：12 月停用，次年 1 月不在内", LONG_AGO, false, [off(sh("2026-12-15 10:00"))], "2027-01", false],
    ["跨年：上海 1 月 1 日 00:00 停用，12 月在内", LONG_AGO, false, [off("2026-12-31T16:00:00.000Z")], "2026-12", true],
    ["新建当月即停用：当月在内", sh("2026-10-10 09:00"), false, [off(sh("2026-10-10 11:00"))], "2026-10", true],
    ["新建当月即停用：次月不在内", sh("2026-10-10 09:00"), false, [off(sh("2026-10-10 11:00"))], "2026-11", false],
    ["没有记录的停用（只有当前状态）：按当前状态", LONG_AGO, false, [], "2026-10", false],
    ["最早的记录是重新启用：此前停用", LONG_AGO, true, [on(sh("2026-11-12 10:00"))], "2026-10", false],
    ["最早的记录是重新启用：启用当月在内", LONG_AGO, true, [on(sh("2026-11-12 10:00"))], "2026-11", true],
  ];
  it.each(cases)("%s", (_label, createdAt, active, changes, month, expected) => {
    expect(unitInMonth({ createdAt, active, changes }, month)).toBe(expected);
  });
});
