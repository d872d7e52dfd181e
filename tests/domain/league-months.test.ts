// Which months a month's league is computed from: what its cached tables follow (a write to any of
// these months' rollups computes them again; writes to other months keep them).
import { describe, expect, it } from "vitest";
import { leagueMonths } from "~/domain/league";

describe("leagueMonths", () => {
  it.each([
    ["2026-12", true, ["2026-12", "2026-11"]],
    ["2026-01", true, ["2026-01", "2025-12"]],
    ["2026-12", false, ["2026-12"]],
  ] as const)("%s, movement %s → %j", (month, withMovement, months) => {
    expect(leagueMonths(month, withMovement)).toEqual(months);
  });
});
