// Choosing one unit out of many by its name or code. A county's few dozen units are a drop-down;
// at province scale (tens of thousands) a drop-down would be megabytes on every list page, so the
// unit filter becomes a search box instead: the field keeps its name (`unit`), the URL keeps
// taking a unit's id (every link the portal writes), and typed text is read as a code or a name.
// When the text names more than one unit the page lists the first few to choose from.

/** Up to this many units the unit filter is a drop-down; above it, a search box. */
export const UNIT_SELECT_MAX = 300;
/** How many matching units a search lists to choose from. */
export const UNIT_MATCHES_SHOWN = 20;
/** The longest text read from the unit field. */
export const UNIT_TEXT_MAX = 50;

export interface PickableUnit {
  id: number;
  name: string;
  code?: string;
  /** 0 or false for a unit no longer in use. */
  active?: number | boolean;
}

export interface UnitPick<U extends PickableUnit> {
  /** The unit the value names, if exactly one. */
  unit: U | undefined;
  /** The text as typed (trimmed, cut), "" for none or an id. */
  text: string;
  /** For text naming no one unit: the first units whose name or code contains it. */
  matches: U[];
  /** How many units contain the text in all. */
  matchCount: number;
}

/** The text the search box shows for a chosen unit, read back to the same unit. */
export function unitText(unit: PickableUnit): string {
  return unit.code ? `${unit.code} ${unit.name}` : unit.name;
}

/** How a unit is listed among the matches: code and name, and whether it is no longer in use. */
export function unitLabel(unit: PickableUnit): string {
  return `${unitText(unit)}${unit.active === 0 || unit.active === false ? "（已停用）" : ""}`;
}

export interface PickOptions {
  /** A whole number is read as an id first (a list's URL); false for a box that only takes text. */
  ids?: boolean;
  /** Whether a single unit merely containing the text is taken (a view), or only an exact code or name (a write). */
  partial?: boolean;
  /** How many matches to list. */
  shown?: number;
}

/**
 * The unit a value names, among `units`:
 * - a whole number is a unit's id (the portal's links), when one has it and `ids` is on;
 * - otherwise the text is read as a code (any case), a code followed by the name (what the box
 *   shows for a chosen unit), or a whole name; exactly one unit must answer;
 * - otherwise every unit whose name or code contains the text is a match, and with `partial` on a
 *   single match is the unit.
 */
export function pickUnit<U extends PickableUnit>(units: readonly U[], raw: string | undefined, options: PickOptions = {}): UnitPick<U> {
  const { ids = true, partial = true, shown = UNIT_MATCHES_SHOWN } = options;
  const none: UnitPick<U> = { unit: undefined, text: "", matches: [], matchCount: 0 };
  const text = (raw ?? "").trim().slice(0, UNIT_TEXT_MAX);
  if (text === "") return none;
  if (ids && /^[1-9]\d{0,15}$/.test(text)) {
    const id = Number(text);
    const byId = units.find((u) => u.id === id);
    if (byId) return { ...none, unit: byId };
  }
  const upper = text.toUpperCase();
  const space = text.search(/\s/);
  const [code, rest] = space < 0 ? [upper, ""] : [upper.slice(0, space), text.slice(space + 1).trim()];
  const exact = units.filter((u) => {
    const own = u.code?.toUpperCase();
    return own === upper || (own === code && u.name === rest) || u.name === text;
  });
  if (exact.length === 1) return { ...none, unit: exact[0], text };
  const matches: U[] = [];
  let matchCount = 0;
  for (const u of units) {
    if (u.name.toUpperCase().includes(upper) || (u.code !== undefined && u.code.toUpperCase().includes(upper))) {
      matchCount++;
      if (matches.length < shown) matches.push(u);
    }
  }
  if (partial && matchCount === 1) return { ...none, unit: matches[0], text };
  return { unit: undefined, text, matches, matchCount };
}

/** Every unit, for a form's drop-down, while they are few enough; else null (the form takes a typed code or name). */
export function unitsForDropDown<U>(units: readonly U[]): U[] | null {
  return units.length <= UNIT_SELECT_MAX ? [...units] : null;
}

/** What a form's unit field holds for `unit` (none: empty): its id for a drop-down (`unitsForDropDown` gave a list), its code and name for the box. */
export function unitFieldValue(unit: PickableUnit | undefined, dropDown: readonly unknown[] | null): string {
  if (!unit) return "";
  return dropDown ? String(unit.id) : unitText(unit);
}

/** Why a unit typed into a form (a code or name) names no one unit. */
export function unitPickProblem(pick: UnitPick<PickableUnit>): string {
  return pick.matchCount === 0
    ? `没有名称或代码含“${pick.text}”的单位`
    : pick.matchCount === 1
      ? `没有代码或名称为“${pick.text}”的单位，是否要找“${unitText(pick.matches[0])}”？请输入完整的单位代码`
      : `名称或代码含“${pick.text}”的单位有 ${pick.matchCount} 个，请输入完整的单位代码`;
}

/**
 * What a list page sends its unit filter: every unit while they are few enough for a drop-down,
 * else the search box's state (the chosen unit, or what was typed and its matches).
 */
export type UnitFilterView<U extends PickableUnit> =
  | { mode: "select"; units: U[] }
  | { mode: "search"; chosen: U | null; text: string; matches: U[]; matchCount: number };

export function unitFilterView<U extends PickableUnit>(units: readonly U[], pick: UnitPick<U>, max = UNIT_SELECT_MAX): UnitFilterView<U> {
  if (units.length <= max) return { mode: "select", units: [...units] };
  return { mode: "search", chosen: pick.unit ?? null, text: pick.unit ? unitText(pick.unit) : pick.text, matches: pick.matches, matchCount: pick.matchCount };
}

/** The longest list of units a form takes as typed codes or names. */
export const UNIT_LIST_MAX = 20_000;

/**
 * Units typed as a list, one code or whole name after another (new lines, commas, 、 or spaces
 * between): each must name exactly one unit (a write: no part of a name, never a number as an id).
 * The ids in the order typed, each once; a problem naming what was not found or was unclear.
 */
export function pickUnitList<U extends PickableUnit>(units: readonly U[], text: string): { ids: number[]; problem: string | null } {
  const tokens = text.slice(0, UNIT_LIST_MAX).split(/[\s,，、;；]+/).filter(Boolean);
  const byCode = new Map<string, U>();
  const byName = new Map<string, U[]>();
  for (const u of units) {
    if (u.code !== undefined) byCode.set(u.code.toUpperCase(), u);
    byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
  }
  const ids = new Set<number>();
  const missing: string[] = [];
  for (const token of tokens) {
    const named = byName.get(token);
    const unit = byCode.get(token.toUpperCase()) ?? (named?.length === 1 ? named[0] : undefined);
    if (unit) ids.add(unit.id);
    else missing.push(token);
  }
  if (missing.length === 0) return { ids: [...ids], problem: null };
  const shown = missing.slice(0, 10).join("、");
  return { ids: [...ids], problem: `找不到单位代码或名称：${shown}${missing.length > 10 ? ` 等 ${missing.length} 个` : ""}。请逐个填写完整的单位代码` };
}
