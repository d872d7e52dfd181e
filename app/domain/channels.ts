// Per-channel statistics: the seed asks the bureau to count each unit's items to "教育信息网" and
// "教育网" monthly and to total them yearly ("对各校上报‘教育信息网’和‘教育网’的信息数量进行月统计、
// 年汇总"). A unit's items are counted per channel with the same rule as its month's totals (items
// with the bureau or decided by it, adopted = counts as adopted), so the channels add up to them.

export interface ChannelCounts {
  submitted: number;
  adopted: number;
}

export interface ChannelColumn {
  id: number;
  name: string;
}

/** One unit's count in one channel for one month (a closed month's carries the frozen name). */
export interface ChannelCountRow {
  unitId: number;
  channelId: number;
  name: string;
  sortOrder: number;
  submitted: number;
  adopted: number;
}

export interface ChannelBreakdown {
  columns: ChannelColumn[];
  /** Per unit, counts aligned with `columns`. */
  byUnit: Map<number, ChannelCounts[]>;
  /** Σ over every unit, aligned with `columns`. */
  totals: ChannelCounts[];
}

export const NO_CHANNEL_NAME = "未指定频道";

const zero = (): ChannelCounts => ({ submitted: 0, adopted: 0 });

/**
 * The channels of a period as columns (the channels the bureau offers, plus any that items of the
 * period went to, in the bureau's order) and every unit's counts summed over the rows given
 * (one month's, or a year's). A channel's name is the first one met in `rows`: pass the newest
 * month first so a renamed channel reads as it does now.
 */
export function channelBreakdown(
  rows: readonly ChannelCountRow[],
  offered: ReadonlyArray<{ id: number; name: string; sortOrder: number }>,
): ChannelBreakdown {
  const seen = new Map<number, { id: number; name: string; sortOrder: number }>();
  for (const r of rows) if (!seen.has(r.channelId)) seen.set(r.channelId, { id: r.channelId, name: r.name, sortOrder: r.sortOrder });
  for (const c of offered) if (!seen.has(c.id)) seen.set(c.id, c);
  const ordered = [...seen.values()].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  const columns = ordered.map((c) => ({ id: c.id, name: c.name }));
  const index = new Map(columns.map((c, i) => [c.id, i]));
  const byUnit = new Map<number, ChannelCounts[]>();
  const totals = columns.map(zero);
  for (const r of rows) {
    const i = index.get(r.channelId)!;
    let counts = byUnit.get(r.unitId);
    if (!counts) {
      counts = columns.map(zero);
      byUnit.set(r.unitId, counts);
    }
    counts[i].submitted += r.submitted;
    counts[i].adopted += r.adopted;
    totals[i].submitted += r.submitted;
    totals[i].adopted += r.adopted;
  }
  return { columns, byUnit, totals };
}

/** A unit's counts aligned with the columns (zeros when it sent nothing). */
export function unitChannels(b: ChannelBreakdown, unitId: number): ChannelCounts[] {
  return b.byUnit.get(unitId)?.map((c) => ({ ...c })) ?? b.columns.map(zero);
}

/** "向教育信息网报送 180 条、采用 150 条，向教育网报送 75 条、采用 60 条" */
export function channelFiguresText(columns: readonly ChannelColumn[], totals: readonly ChannelCounts[]): string {
  return columns.map((c, i) => `向${c.name}报送 ${totals[i]?.submitted ?? 0} 条、采用 ${totals[i]?.adopted ?? 0} 条`).join("，");
}
