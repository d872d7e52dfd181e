// Rules as versioned data: the version in force for a month is the latest effective on or before it.

export interface Versioned {
  effectiveMonth: string;
}

export function versionFor<T extends Versioned>(versions: readonly T[], month: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.effectiveMonth <= month && (!best || v.effectiveMonth > best.effectiveMonth)) best = v;
  }
  return best;
}

/** Which months each version governs, for the admin's rules page: [from, to] (to null = open-ended). */
export function governedRanges<T extends Versioned>(versions: readonly T[]): Array<T & { until: string | null }> {
  const sorted = [...versions].sort((a, b) => (a.effectiveMonth < b.effectiveMonth ? -1 : 1));
  return sorted.map((v, i) => ({ ...v, until: sorted[i + 1] ? previousMonth(sorted[i + 1].effectiveMonth) : null }));
}

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}
