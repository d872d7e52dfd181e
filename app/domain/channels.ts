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

/**
 * Channel count rows as columns (entry i of each is one row, as SQL reads them, one JSON array per
 * column): each row with its month (for closed months summed, the newest of them that has it);
 * a name and place missing for a channel since deleted.
 */
export interface ChannelCountColumns {
  month: readonly string[];
  unitId: readonly number[];
  channelId: readonly number[];
  submitted: readonly number[];
  adopted: readonly number[];
  /** Each row's channel name and place (frozen rows carry them) … */
  name?: ReadonlyArray<string | null>;
  sortOrder?: ReadonlyArray<number | null>;
  /** … or, for rows of the live rollup, each channel's present name and place (none when deleted). */
  channels?: ReadonlyMap<number, { name: string; sortOrder: number }>;
}

/**
 * channelBreakdown of rows given as columns, in any order of months, with no object per row: what
 * channelBreakdown gives for the same rows put newest month first (rows of one month in the order
 * given), so a channel's name and place are those of the first of its newest month's rows; a
 * missing name reads NO_CHANNEL_NAME, a missing place 999. Only each unit's counts are built.
 */
export function channelBreakdownOfColumns(
  parts: readonly ChannelCountColumns[],
  offered: ReadonlyArray<{ id: number; name: string; sortOrder: number }>,
): ChannelBreakdown {
  const newest = new Map<number, { month: string; id: number; name: string; sortOrder: number }>();
  for (const p of parts) {
    const nameOf = (j: number) => (p.name ? p.name[j] : p.channels?.get(p.channelId[j])?.name) ?? NO_CHANNEL_NAME;
    const placeOf = (j: number) => (p.sortOrder ? p.sortOrder[j] : p.channels?.get(p.channelId[j])?.sortOrder) ?? 999;
    for (let j = 0; j < p.channelId.length; j++) {
      const id = p.channelId[j];
      const month = p.month[j];
      const seen = newest.get(id);
      if (seen === undefined) newest.set(id, { month, id, name: nameOf(j), sortOrder: placeOf(j) });
      else if (month > seen.month) {
        seen.month = month;
        seen.name = nameOf(j);
        seen.sortOrder = placeOf(j);
      }
    }
  }
  const all: Array<{ id: number; name: string; sortOrder: number }> = [...newest.values()];
  for (const c of offered) if (!newest.has(c.id)) all.push(c);
  const ordered = all.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  const columns = ordered.map((c) => ({ id: c.id, name: c.name }));
  const width = columns.length;
  const columnOf = indexOf(columns.map((c) => c.id));
  // Each unit's slot (in the order units first come), then its counts summed in one flat array
  // (slot × channel, submitted then adopted): no object until each unit's counts are built.
  let maxUnit = 0;
  let rows = 0;
  for (const p of parts) {
    rows += p.unitId.length;
    for (let j = 0; j < p.unitId.length; j++) if (p.unitId[j] > maxUnit) maxUnit = p.unitId[j];
  }
  const denseUnits = maxUnit < 4 * rows + 1024;
  const slotById = denseUnits ? new Int32Array(maxUnit + 1).fill(-1) : null;
  const slotMap = new Map<number, number>();
  const unitAt: number[] = [];
  const slotOf = (unitId: number): number => {
    const dense = slotById !== null && unitId >= 0 && (unitId | 0) === unitId;
    let slot = dense ? slotById[unitId] : (slotMap.get(unitId) ?? -1);
    if (slot < 0) {
      slot = unitAt.length;
      unitAt.push(unitId);
      if (dense) slotById[unitId] = slot;
      else slotMap.set(unitId, slot);
    }
    return slot;
  };
  const slots = parts.map((p) => {
    const out = new Int32Array(p.unitId.length);
    for (let j = 0; j < p.unitId.length; j++) out[j] = slotOf(p.unitId[j]);
    return out;
  });
  const sums = new Float64Array(unitAt.length * width * 2);
  const totalSums = new Float64Array(width * 2);
  parts.forEach((p, k) => {
    const slot = slots[k];
    for (let j = 0; j < p.unitId.length; j++) {
      const c = columnOf(p.channelId[j]);
      const at = (slot[j] * width + c) * 2;
      sums[at] += p.submitted[j];
      sums[at + 1] += p.adopted[j];
      totalSums[c * 2] += p.submitted[j];
      totalSums[c * 2 + 1] += p.adopted[j];
    }
  });
  const byUnit = new Map<number, ChannelCounts[]>();
  for (let slot = 0; slot < unitAt.length; slot++) {
    const counts: ChannelCounts[] = new Array(width);
    for (let c = 0; c < width; c++) counts[c] = { submitted: sums[(slot * width + c) * 2], adopted: sums[(slot * width + c) * 2 + 1] };
    byUnit.set(unitAt[slot], counts);
  }
  const totals = columns.map((_, c) => ({ submitted: totalSums[c * 2], adopted: totalSums[c * 2 + 1] }));
  return { columns, byUnit, totals };
}

/** Each id's place in `ids` (an array by id when the ids are small integers, else a Map); -1 when absent. */
function indexOf(ids: readonly number[]): (id: number) => number {
  let max = 0;
  for (const id of ids) if (id > max) max = id;
  if (max < 4 * ids.length + 1024 && ids.every((id) => id >= 0 && (id | 0) === id)) {
    const at = new Int32Array(max + 1).fill(-1);
    ids.forEach((id, i) => (at[id] = i));
    return (id) => (id >= 0 && id <= max ? at[id] : -1);
  }
  const map = new Map(ids.map((id, i) => [id, i]));
  return (id) => map.get(id) ?? -1;
}

/** A unit's counts aligned with the columns (zeros when it sent nothing). */
export function unitChannels(b: ChannelBreakdown, unitId: number): ChannelCounts[] {
  return b.byUnit.get(unitId)?.map((c) => ({ ...c })) ?? b.columns.map(zero);
}

/** "向教育信息网报送 180 条、采用 150 条，向教育网报送 75 条、采用 60 条" */
export function channelFiguresText(columns: readonly ChannelColumn[], totals: readonly ChannelCounts[]): string {
  return columns.map((c, i) => `向${c.name}报送 ${totals[i]?.submitted ?? 0} 条、采用 ${totals[i]?.adopted ?? 0} 条`).join("，");
}
