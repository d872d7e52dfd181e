import { describe, expect, it } from "vitest";
import { channelBreakdown, channelBreakdownOfColumns, NO_CHANNEL_NAME, type ChannelCountColumns, type ChannelCountRow } from "~/domain/channels";

type Row = ChannelCountRow & { month: string };
type RawRow = Omit<Row, "name" | "sortOrder"> & { name: string | null; sortOrder: number | null };

const columnsOf = (rows: readonly RawRow[]): ChannelCountColumns => ({
  month: rows.map((r) => r.month), unitId: rows.map((r) => r.unitId), channelId: rows.map((r) => r.channelId), name: rows.map((r) => r.name),
  sortOrder: rows.map((r) => r.sortOrder), submitted: rows.map((r) => r.submitted), adopted: rows.map((r) => r.adopted),
});

/** What channelStats gave before: the rows newest month first (a month's rows in the order read), missing names and places filled. */
const byRows = (parts: ReadonlyArray<readonly RawRow[]>, offered: ReadonlyArray<{ id: number; name: string; sortOrder: number }>) => {
  const rows: Row[] = parts.flat().map((r) => ({ ...r, name: r.name ?? NO_CHANNEL_NAME, sortOrder: r.sortOrder ?? 999 }));
  const months = [...new Set(rows.map((r) => r.month))].sort().reverse();
  return channelBreakdown(months.flatMap((m) => rows.filter((r) => r.month === m)), offered);
};

const row = (month: string, unitId: number, channelId: number, name: string | null, sortOrder: number | null, submitted: number, adopted: number): RawRow => ({
  month, unitId, channelId, name, sortOrder, submitted, adopted,
});

const cases: Array<{ name: string; parts: RawRow[][]; offered: Array<{ id: number; name: string; sortOrder: number }> }> = [
  { name: "nothing at all, offered channels only", parts: [[], []], offered: [{ id: 2, name: "教育网", sortOrder: 2 }, { id: 1, name: "教育信息网", sortOrder: 1 }] },
  {
    name: "a renamed channel reads as in its newest month, whichever part has it",
    parts: [
      [row("2026-10", 1, 1, "旧名称", 1, 3, 2), row("2026-09", 2, 1, "更旧的名称", 1, 1, 1), row("2026-10", 2, 2, "教育网", 2, 4, 0)],
      [row("2026-11", 1, 1, "教育信息网", 1, 5, 5), row("2026-12", 3, 2, "教育网（新）", 5, 1, 0)],
    ],
    offered: [{ id: 1, name: "教育信息网", sortOrder: 1 }, { id: 2, name: "教育网", sortOrder: 2 }, { id: 7, name: "新频道", sortOrder: 3 }],
  },
  {
    name: "rows of one month: the first read names the channel",
    parts: [[row("2026-10", 1, 4, "甲", 1, 1, 0), row("2026-10", 2, 4, "乙", 0, 2, 1)], []],
    offered: [],
  },
  {
    name: "a deleted channel (no name, no place) goes last as 未指定频道; equal places by id",
    parts: [[], [row("2026-11", 9, 3, null, null, 2, 2), row("2026-11", 9, 5, "丙", 1, 1, 1), row("2026-11", 8, 4, "丁", 1, 6, 3)]],
    offered: [{ id: 5, name: "丙", sortOrder: 1 }],
  },
];

describe("channelBreakdownOfColumns", () => {
  it.each(cases)("$name", ({ parts, offered }) => {
    const got = channelBreakdownOfColumns(parts.map(columnsOf), offered);
    const want = byRows(parts, offered);
    expect(got.columns).toEqual(want.columns);
    expect(got.totals).toEqual(want.totals);
    expect(new Map([...got.byUnit].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...want.byUnit].sort((a, b) => a[0] - b[0])));
  });

  it("names live rows by the channels' present names and places, a deleted channel 未指定频道", () => {
    const live = [row("2026-12", 1, 1, null, null, 2, 1), row("2026-12", 2, 9, null, null, 1, 0), row("2026-11", 2, 1, null, null, 3, 3)];
    const present = new Map([[1, { name: "教育信息网（新）", sortOrder: 4 }]]);
    const frozen = [row("2026-10", 1, 1, "教育信息网", 1, 5, 5), row("2026-10", 3, 2, "教育网", 2, 1, 1)];
    const { name: _n, sortOrder: _s, ...columns } = columnsOf(live);
    const got = channelBreakdownOfColumns([columnsOf(frozen), { ...columns, channels: present }], []);
    const want = byRows([frozen, live.map((r) => ({ ...r, name: present.get(r.channelId)?.name ?? null, sortOrder: present.get(r.channelId)?.sortOrder ?? null }))], []);
    expect(got.columns).toEqual(want.columns);
    expect(got.columns.map((c) => c.name)).toEqual(["教育网", "教育信息网（新）", NO_CHANNEL_NAME]);
    expect(got.totals).toEqual(want.totals);
    expect(new Map([...got.byUnit].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...want.byUnit].sort((a, b) => a[0] - b[0])));
  });

  it("sums a unit's rows of several months and parts per channel", () => {
    const got = channelBreakdownOfColumns(
      [columnsOf([row("2026-09", 1, 1, "教育信息网", 1, 3, 2)]), columnsOf([row("2026-11", 1, 1, "教育信息网", 1, 4, 1), row("2026-12", 1, 2, "教育网", 2, 2, 2)])],
      [],
    );
    expect(got.columns.map((c) => c.name)).toEqual(["教育信息网", "教育网"]);
    expect(got.byUnit.get(1)).toEqual([{ submitted: 7, adopted: 3 }, { submitted: 2, adopted: 2 }]);
    expect(got.totals).toEqual([{ submitted: 7, adopted: 3 }, { submitted: 2, adopted: 2 }]);
  });
});
