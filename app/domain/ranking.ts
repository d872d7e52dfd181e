// League tables: rank by points, then national / provincial / city pickups, then adopted count.
// Units equal on all of these share a rank (competition ranking 1, 2, 2, 4) and are listed by code.

export interface RankableUnit {
  code: string;
  points: number;
  national: number;
  province: number;
  city: number;
  adopted: number;
}

export interface Ranked {
  rank: number;
  /** Shares its rank with another row (shown as 并列). */
  tied: boolean;
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Sorts rows in league order and writes each row's `rank` and `tied` onto the row itself: tables
 * run to 20,000 units, so no row is copied, and the sort compares numbers in typed arrays (read
 * from each row once) rather than the rows' properties; codes are compared only on a full tie.
 * Returns a new array of the same rows, in league order.
 */
export function rankInPlace<T extends RankableUnit & Ranked>(rows: readonly T[]): T[] {
  const n = rows.length;
  const cents = new Float64Array(n);
  const national = new Float64Array(n);
  const province = new Float64Array(n);
  const city = new Float64Array(n);
  const adopted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    cents[i] = Math.round(r.points * 100);
    national[i] = r.national;
    province[i] = r.province;
    city[i] = r.city;
    adopted[i] = r.adopted;
  }
  // Higher first on every key; 0 when the rows are equal on all of them (they share a rank).
  const keys = (a: number, b: number) =>
    cents[b] - cents[a] || national[b] - national[a] || province[b] - province[a] || city[b] - city[a] || adopted[b] - adopted[a];
  const order = packedOrder(rows, [cents, national, province, city, adopted]) ??
    Array.from({ length: n }, (_, i) => i).sort((a, b) => keys(a, b) || byCode(rows[a], rows[b]));
  return placeRanks(rows, order, (a, b) => keys(a, b) === 0);
}

/**
 * League order without a comparator, when the keys allow: each row's keys (integers, the first
 * of them highest first and so on) packed into one exact number with the row's index in its
 * lowest digits, the numbers sorted natively, and only rows equal on every key put in code order.
 * Null when the packed number would not be exact (then the caller compares row by row).
 */
function packedOrder(rows: readonly { code: string }[], columns: readonly Float64Array[]): number[] | null {
  const n = rows.length;
  let span = n;
  const mins: number[] = [];
  const sizes: number[] = [];
  for (const column of columns) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (!Number.isInteger(v)) return null;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const size = n === 0 ? 1 : max - min + 1;
    span *= size;
    if (span > Number.MAX_SAFE_INTEGER) return null;
    mins.push(min);
    sizes.push(size);
  }
  // Highest first: each key counted down from its largest value.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let c = 0; c < columns.length; c++) k = k * sizes[c] + (sizes[c] - 1 - (columns[c][i] - mins[c]));
    packed[i] = k * n + i;
  }
  packed.sort();
  const order: number[] = new Array(n);
  for (let i = 0; i < n; ) {
    const key = Math.floor(packed[i] / n);
    let j = i;
    while (j < n && Math.floor(packed[j] / n) === key) {
      order[j] = packed[j] - key * n;
      j++;
    }
    if (j - i > 1) {
      const tie = order.slice(i, j).sort((a, b) => byCode(rows[a], rows[b]));
      for (let t = 0; t < tie.length; t++) order[i + t] = tie[t];
    }
    i = j;
  }
  return order;
}

/** Writes competition ranks (1, 2, 2, 4) and ties onto rows taken in `order`; `same` compares two row indices. */
function placeRanks<T extends Ranked>(rows: readonly T[], order: readonly number[], same: (a: number, b: number) => boolean): T[] {
  const n = order.length;
  const sorted: T[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[order[i]];
    row.rank = i > 0 && same(order[i - 1], order[i]) ? sorted[i - 1].rank : i + 1;
    row.tied = false;
    sorted[i] = row;
  }
  for (let i = 0; i < n; i++) {
    sorted[i].tied = (i > 0 && sorted[i - 1].rank === sorted[i].rank) || (i + 1 < n && sorted[i + 1].rank === sorted[i].rank);
  }
  return sorted;
}

/**
 * Competition ranking on one number, highest first (4 decimals, as rankBy), equal values listed by
 * code; ranks written onto the rows themselves. Returns a new array of the same rows, in order.
 */
export function rankByValueInPlace<T extends Ranked & { code: string }>(rows: readonly T[], value: (row: T) => number): T[] {
  const n = rows.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.round(value(rows[i]) * 10000);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[b] - v[a] || byCode(rows[a], rows[b]));
  return placeRanks(rows, order, (a, b) => v[a] === v[b]);
}

export function rankUnits<T extends RankableUnit>(rows: readonly T[]): Array<T & Ranked> {
  return rankInPlace(rows.map((row) => ({ ...row, rank: 0, tied: false })));
}

/**
 * Movement since last month: places gained (2), places lost (-1), 0 for the same rank, null
 * when the unit was not ranked last month (新).
 */
export type Movement = number | null;

export function movement(previousRank: number | null | undefined, rank: number): Movement {
  if (previousRank === null || previousRank === undefined) return null;
  return previousRank - rank;
}

export interface MovementShown {
  /** As printed in tables, exports and notices: ↑2, ↓1, — (same), 新 (not ranked last month). */
  text: string;
  /** For screen readers and tooltips: 上升2名, 下降1名, 名次不变, 新上榜. */
  words: string;
  tone: "up" | "down" | "same";
}

/** How a movement is shown, in text (not colour alone) and in words. */
export function showMovement(m: Movement): MovementShown {
  if (m === null) return { text: "新", words: "新上榜", tone: "same" };
  if (m === 0) return { text: "—", words: "名次不变", tone: "same" };
  return m > 0 ? { text: `↑${m}`, words: `上升${m}名`, tone: "up" } : { text: `↓${-m}`, words: `下降${-m}名`, tone: "down" };
}

/** A movement as printed: ↑2, ↓1, — or 新. */
export const movementText = (m: Movement): string => showMovement(m).text;

/** Competition ranking on one number, highest first (for correspondents and completion views). */
export function rankBy<T>(rows: readonly T[], value: (row: T) => number, tiebreak: (a: T, b: T) => number): Array<T & Ranked> {
  const v = (r: T) => Math.round(value(r) * 10000);
  const sorted = [...rows].sort((a, b) => v(b) - v(a) || tiebreak(a, b));
  const out: Array<T & Ranked> = [];
  sorted.forEach((row, i) => {
    const rank = i > 0 && v(sorted[i - 1]) === v(row) ? out[i - 1].rank : i + 1;
    out.push({ ...row, rank, tied: false });
  });
  for (let i = 0; i < out.length; i++) {
    out[i].tied = (i > 0 && out[i - 1].rank === out[i].rank) || (i + 1 < out.length && out[i + 1].rank === out[i].rank);
  }
  return out;
}
