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

type Key = [number, number, number, number, number];
const key = (u: RankableUnit): Key => [Math.round(u.points * 100), u.national, u.province, u.city, u.adopted];

function compareKeys(ka: Key, kb: Key): number {
  for (let i = 0; i < 5; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  return 0;
}

export function rankUnits<T extends RankableUnit>(rows: readonly T[]): Array<T & Ranked> {
  // Keys are computed once per row, not once per comparison: tables run to 20,000 units.
  const keyed = rows.map((row) => ({ row, k: key(row) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k) || (a.row.code < b.row.code ? -1 : a.row.code > b.row.code ? 1 : 0));
  const ranked: Array<T & Ranked> = new Array(keyed.length);
  for (let i = 0; i < keyed.length; i++) {
    const rank = i > 0 && compareKeys(keyed[i - 1].k, keyed[i].k) === 0 ? ranked[i - 1].rank : i + 1;
    ranked[i] = { ...keyed[i].row, rank, tied: false };
  }
  for (let i = 0; i < ranked.length; i++) {
    ranked[i].tied = (i > 0 && ranked[i - 1].rank === ranked[i].rank) || (i + 1 < ranked.length && ranked[i + 1].rank === ranked[i].rank);
  }
  return ranked;
}

/** Movement since last month, in text: ↑2, ↓1, — (same), 新 (not ranked last month). */
export function movement(previousRank: number | null | undefined, rank: number): string {
  if (previousRank === null || previousRank === undefined) return "新";
  if (previousRank === rank) return "—";
  return previousRank > rank ? `↑${previousRank - rank}` : `↓${rank - previousRank}`;
}

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
