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

/** A value ranked on its own (a completion rate) compared to four decimals, as an integer. */
export const valueKey = (value: number): number => Math.round(value * 10000);

const compareCodes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
  const codes: string[] = new Array(n);
  const members: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    cents[i] = Math.round(r.points * 100);
    national[i] = r.national;
    province[i] = r.province;
    city[i] = r.city;
    adopted[i] = r.adopted;
    codes[i] = r.code;
    members[i] = i;
  }
  const rank = new Int32Array(n);
  const tied = new Uint8Array(n);
  const order = rankLeague(members, { cents, national, province, city, adopted }, codes, rank, tied);
  return placeOnRows(rows, order, rank, tied);
}

/** A league's ranking keys as columns: points in hundredths, national, provincial and city pickups, adopted. */
export interface LeagueKeys {
  cents: ArrayLike<number>;
  national: ArrayLike<number>;
  province: ArrayLike<number>;
  city: ArrayLike<number>;
  adopted: ArrayLike<number>;
}

/** {@link rankColumns} with the league's cascade: points, then national, provincial, city pickups, then adopted. */
export function rankLeague(members: readonly number[], k: LeagueKeys, codes: readonly string[], rank: Int32Array, tied: Uint8Array): number[] {
  return rankColumns(members, [k.cents, k.national, k.province, k.city, k.adopted], codes, rank, tied);
}

/**
 * Every kind ranked on its own with the league's cascade (rank and tie written by index, as
 * rankLeague), kinds in the order their first unit comes: each kind's indices in league order.
 */
export function rankLeagueByKind(kinds: readonly string[], k: LeagueKeys, codes: readonly string[], rank: Int32Array, tied: Uint8Array): number[][] {
  const byKind = new Map<string, number[]>();
  for (let i = 0; i < kinds.length; i++) {
    const members = byKind.get(kinds[i]);
    if (members) members.push(i);
    else byKind.set(kinds[i], [i]);
  }
  return [...byKind.values()].map((members) => rankLeague(members, k, codes, rank, tied));
}

/**
 * League order without row objects: `members` are indices into the key columns (points in
 * hundredths, national, provincial, city pickups, adopted: highest first on each in turn) and into
 * `codes`; equal rows share a rank and are listed by code. Writes each member's competition rank
 * and whether it is shared into `rank` / `tied` (indexed like the columns) and returns the members
 * in league order. Members given in code order need no comparison of codes at all.
 */
export function rankColumns(
  members: readonly number[],
  keys: readonly ArrayLike<number>[],
  codes: readonly string[],
  rank: Int32Array,
  tied: Uint8Array,
): number[] {
  const m = members.length;
  const packed = packedOrder(members, keys, codes);
  let order: number[];
  let same: (k: number) => boolean;
  if (packed !== null) {
    order = packed.order;
    const sameAsPrevious = packed.sameAsPrevious;
    same = (k) => sameAsPrevious[k] === 1;
  } else {
    const cmp = (a: number, b: number) => {
      for (const k of keys) if (k[a] !== k[b]) return k[b] - k[a];
      return compareCodes(codes[a], codes[b]);
    };
    const sorted = [...members].sort(cmp);
    order = sorted;
    same = (k) => {
      for (const key of keys) if (key[sorted[k - 1]] !== key[sorted[k]]) return false;
      return true;
    };
  }
  for (let i = 0; i < m; i++) rank[order[i]] = i > 0 && same(i) ? rank[order[i - 1]] : i + 1;
  for (let i = 0; i < m; i++) {
    const r = rank[order[i]];
    tied[order[i]] = (i > 0 && rank[order[i - 1]] === r) || (i + 1 < m && rank[order[i + 1]] === r) ? 1 : 0;
  }
  return order;
}

/**
 * League order without a comparator, when the keys allow: each member's keys (integers, the first
 * of them highest first and so on) packed into one exact number with the member's position in its
 * lowest digits, the numbers sorted natively, and only members equal on every key put in code
 * order (already so when the members come in code order). Null when the packed number would not
 * be exact (then the caller compares member by member).
 */
function packedOrder(
  members: readonly number[],
  columns: readonly ArrayLike<number>[],
  codes: readonly string[],
): { order: number[]; sameAsPrevious: Uint8Array } | null {
  const n = members.length;
  let span = n;
  const maxes: number[] = [];
  const sizes: number[] = [];
  for (const column of columns) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = column[members[i]];
      if (!Number.isInteger(v)) return null;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const size = n === 0 ? 1 : max - min + 1;
    span *= size;
    if (span > Number.MAX_SAFE_INTEGER) return null;
    maxes.push(max);
    sizes.push(size);
  }
  let inCodeOrder = true;
  for (let i = 1; i < n && inCodeOrder; i++) inCodeOrder = codes[members[i - 1]] < codes[members[i]];
  // Highest first: each key counted down from its largest value, one column at a time.
  const packed = new Float64Array(n);
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c];
    const size = sizes[c];
    const max = maxes[c];
    for (let i = 0; i < n; i++) packed[i] = packed[i] * size + (max - column[members[i]]);
  }
  for (let i = 0; i < n; i++) packed[i] = packed[i] * n + i;
  packed.sort();
  const order: number[] = new Array(n);
  // 1 where a member is equal on every key to the one before it in order.
  const sameAsPrevious = new Uint8Array(n);
  for (let i = 0; i < n; ) {
    const key = Math.floor(packed[i] / n);
    let j = i;
    while (j < n && Math.floor(packed[j] / n) === key) {
      order[j] = members[packed[j] - key * n];
      if (j > i) sameAsPrevious[j] = 1;
      j++;
    }
    if (j - i > 1 && !inCodeOrder) {
      const tie = order.slice(i, j).sort((a, b) => compareCodes(codes[a], codes[b]));
      for (let t = 0; t < tie.length; t++) order[i + t] = tie[t];
    }
    i = j;
  }
  return { order, sameAsPrevious };
}

/** The rows in `order`, each with the rank and tie `rankColumns` wrote for it set on the row itself. */
function placeOnRows<T extends Ranked>(rows: readonly T[], order: readonly number[], rank: Int32Array, tied: Uint8Array): T[] {
  const sorted: T[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const row = rows[order[i]];
    row.rank = rank[order[i]];
    row.tied = tied[order[i]] === 1;
    sorted[i] = row;
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
  const codes: string[] = new Array(n);
  const members: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = valueKey(value(rows[i]));
    codes[i] = rows[i].code;
    members[i] = i;
  }
  const rank = new Int32Array(n);
  const tied = new Uint8Array(n);
  const order = rankColumns(members, [v], codes, rank, tied);
  return placeOnRows(rows, order, rank, tied);
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

/**
 * Each id's place in `ids` (-1: not there). Units' ids are their rowids, dense: an array indexed by
 * id rather than a Map of 20,000 entries at province scale; a Map when the ids are sparse.
 */
export function placeById(ids: ArrayLike<number>): (id: number) => number {
  let maxId = 0;
  for (let j = 0; j < ids.length; j++) if (ids[j] > maxId) maxId = ids[j];
  if (maxId < 4 * ids.length + 1024) {
    const byId = new Int32Array(maxId + 1).fill(-1);
    for (let j = 0; j < ids.length; j++) if (ids[j] >= 0) byId[ids[j]] = j;
    return (id) => (id >= 0 && id <= maxId ? byId[id] : -1);
  }
  const byId = new Map<number, number>();
  for (let j = 0; j < ids.length; j++) byId.set(ids[j], j);
  return (id) => byId.get(id) ?? -1;
}

/** A unit's rank by its id (undefined: not ranked that month). */
export type RankOf = (unitId: number) => number | undefined;

/** Ranks by unit id, for movement. */
export function rankLookup(unitIds: ArrayLike<number>, ranks: ArrayLike<number>): RankOf {
  const place = placeById(unitIds);
  return (unitId) => {
    const j = place(unitId);
    return j < 0 ? undefined : ranks[j];
  };
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
  // Each row's key computed once (a province's 20,000 correspondents: the sort compares ~300,000 times).
  const n = rows.length;
  const key = new Float64Array(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    key[i] = valueKey(value(rows[i]));
    order[i] = i;
  }
  order.sort((a, b) => key[b] - key[a] || tiebreak(rows[a], rows[b]));
  const out = new Array<T & Ranked>(n);
  for (let i = 0; i < n; i++) {
    const j = order[i];
    const rank = i > 0 && key[order[i - 1]] === key[j] ? out[i - 1].rank : i + 1;
    // Object.assign, not `{ ...row, rank, tied }`: on Node 20 an object spread and then given more
    // properties ends up on a slow (dictionary) map, about a microsecond each; 20,000 took 40 ms.
    out[i] = Object.assign({}, rows[j], { rank, tied: false });
  }
  for (let i = 0; i < out.length; i++) {
    out[i].tied = (i > 0 && out[i - 1].rank === out[i].rank) || (i + 1 < out.length && out[i + 1].rank === out[i].rank);
  }
  return out;
}
