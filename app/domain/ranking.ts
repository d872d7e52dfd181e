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

const key = (u: RankableUnit) => [Math.round(u.points * 100), u.national, u.province, u.city, u.adopted];

function compare(a: RankableUnit, b: RankableUnit): number {
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  return 0;
}

export function rankUnits<T extends RankableUnit>(rows: readonly T[]): Array<T & Ranked> {
  const sorted = [...rows].sort((a, b) => compare(a, b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const ranked: Array<T & Ranked> = [];
  sorted.forEach((row, i) => {
    const rank = i > 0 && compare(sorted[i - 1], row) === 0 ? ranked[i - 1].rank : i + 1;
    ranked.push({ ...row, rank, tied: false });
  });
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
