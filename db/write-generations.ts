// What the writer of each database file has done in this process, and, with several processes on
// one file (the portal's workers), how they tell each other of figures writes and take turns to
// write. Caches of derived data key on the generations (app/models/write-cache.server.ts).
import path from "node:path";
import type { WriteReach } from "./write-reach";

/**
 * How many times the writer of each database file has been used in this process. Anything read
 * earlier may be stale once it moves.
 */
const writeGenerations = new Map<string, number>();

/**
 * Per database file, the writer uses (in this process) and other processes' writes that changed
 * figures: all of them (`total`), those that reached everything (`everything`), those that touched
 * a row in some report month (`inAMonth`), and for each unit and report month those that touched
 * its rows (db/write-reach.ts). A login, a session, a notification or an audit record alone moves
 * none of them.
 */
interface FiguresWrites {
  total: number;
  everything: number;
  inAMonth: number;
  units: Map<number, number>;
  months: Map<string, number>;
  /** The last ITEMS_LOG writes: each one's `total` and the items whose own row it wrote (null: it reached everything). */
  itemsLog: Array<{ total: number; items: readonly number[] | null }>;
}
/** Writes whose items are remembered (itemsWrittenSince). */
const ITEMS_LOG = 1024;
const figuresWrites = new Map<string, FiguresWrites>();

function figuresOf(filename: string): FiguresWrites {
  const key = path.resolve(filename);
  let f = figuresWrites.get(key);
  if (!f) figuresWrites.set(key, (f = { total: 0, everything: 0, inAMonth: 0, units: new Map(), months: new Map(), itemsLog: [] }));
  return f;
}

function countFigures(filename: string, reach: WriteReach): void {
  const f = figuresOf(filename);
  f.total++;
  f.itemsLog.push({ total: f.total, items: reach === "everything" ? null : reach.items });
  if (f.itemsLog.length > ITEMS_LOG) f.itemsLog.shift();
  if (reach === "everything") f.everything++;
  else {
    if (reach.months.length > 0) f.inAMonth++;
    for (const u of reach.units) f.units.set(u, (f.units.get(u) ?? 0) + 1);
    for (const m of reach.months) f.months.set(m, (f.months.get(m) ?? 0) + 1);
  }
}

function bump(counts: Map<string, number>, filename: string) {
  const key = path.resolve(filename);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function writeGeneration(filename: string): number {
  return writeGenerations.get(path.resolve(filename)) ?? 0;
}

/** How many figures writes `filename` has seen (in this process and announced by others). */
export function figuresGeneration(filename: string): number {
  return figuresOf(filename).total;
}

/**
 * The items whose own row the figures writes to `filename` after the first `since` of them wrote
 * (figuresGeneration counts them), or null when one of those writes reached everything or they are
 * no longer all remembered.
 */
export function itemsWrittenSince(filename: string, since: number): Set<number> | null {
  const { total, itemsLog } = figuresOf(filename);
  const items = new Set<number>();
  if (since === total) return items;
  if (since > total || itemsLog.length === 0 || itemsLog[0].total > since + 1) return null;
  for (let i = itemsLog.length - 1; i >= 0 && itemsLog[i].total > since; i--) {
    const written = itemsLog[i].items;
    if (written === null) return null;
    for (const id of written) items.add(id);
  }
  return items;
}

/**
 * Which rows of the tables followed by unit and month (db/write-reach.ts) a derived result is
 * computed from: all of them, none, only rows with a report month ("in-a-month": every unit, every
 * month, but no item that has none yet, such as a submission waiting for its lead's sign-off, and
 * none of such an item's rows), one unit's (every month), or some report months' (every unit).
 * Whatever it also reads of the other tables of figures, any write to those reaches everything.
 */
export type RowsRead = "all" | "none" | "in-a-month" | { readonly unit: number } | { readonly months: readonly string[] };

/**
 * A value that moves whenever a figures write to `filename` may have changed a result computed from
 * `rows`: equal before and after a write that reached only other units or months.
 */
export function figuresToken(filename: string, rows: RowsRead): string {
  const f = figuresOf(filename);
  if (rows === "all") return `t${f.total}`;
  if (rows === "none") return `e${f.everything}`;
  if (rows === "in-a-month") return `e${f.everything}d${f.inAMonth}`;
  if ("unit" in rows) return `e${f.everything}u${f.units.get(rows.unit) ?? 0}`;
  return `e${f.everything}m${rows.months.map((m) => f.months.get(m) ?? 0).join(",")}`;
}

/**
 * A use of this process's writer of `filename` has ended: `reach` is how far the figures it
 * changed reached, null when it changed none.
 */
export function countWriterUse(filename: string, reach: WriteReach | null): void {
  bump(writeGenerations, filename);
  if (reach !== null) countFigures(filename, reach);
}

/**
 * Another process serving the same file wrote figures to it (the portal on several processes): what
 * this process derived from it within `reach` may be stale.
 */
export function figuresWrittenElsewhere(filename: string, reach: WriteReach = "everything"): void {
  countFigures(filename, reach);
}

let announceFigures: ((filename: string, reach: WriteReach) => Promise<void>) | undefined;

/**
 * With several processes on one file: `announce` tells the others of this process's figures writes.
 * The writer's caller goes on only once it has resolved, so a page read right after a write, in any
 * process, never comes from a cache that predates it.
 */
export function announceFiguresWrites(announce: ((filename: string, reach: WriteReach) => Promise<void>) | undefined): void {
  announceFigures = announce;
}

/** Tells the other processes (if any) of a figures write to `filename` just committed here, and how far it reached. */
export async function figuresWritten(filename: string, reach: WriteReach): Promise<void> {
  await announceFigures?.(path.resolve(filename), reach);
}

/** Whose turn it is to write, across the processes serving one file (handed out in arrival order). */
export interface WriterTurn {
  take(): Promise<void>;
  give(): void;
}

let writerTurn: WriterTurn | undefined;

/**
 * With several processes on one file: each writer use waits for its turn here rather than in
 * SQLite's busy handler, which polls (up to 100 ms apart) on a thread the readers need.
 */
export function shareWriterTurn(turn: WriterTurn | undefined): void {
  writerTurn = turn;
}

/** The shared turn to write, when there is one. */
export function sharedWriterTurn(): WriterTurn | undefined {
  return writerTurn;
}
