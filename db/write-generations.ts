// What the writer of each database file has done in this process, and, with several processes on
// one file (the portal's workers), how they tell each other of figures writes and take turns to
// write. Caches of derived data key on the generations (app/models/write-cache.server.ts).
import path from "node:path";

/**
 * How many times the writer of each database file has been used in this process. Anything read
 * earlier may be stale once it moves.
 */
const writeGenerations = new Map<string, number>();

/**
 * Like `writeGenerations`, but moved only by writer uses that ran a statement `changesFigures`
 * counts (a login, a session, a notification or an audit record alone leaves it in place), and by
 * other processes' figures writes.
 */
const figureGenerations = new Map<string, number>();

function bump(counts: Map<string, number>, filename: string) {
  const key = path.resolve(filename);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function writeGeneration(filename: string): number {
  return writeGenerations.get(path.resolve(filename)) ?? 0;
}

export function figuresGeneration(filename: string): number {
  return figureGenerations.get(path.resolve(filename)) ?? 0;
}

/** A use of this process's writer of `filename` has ended; `changedFigures` if it ran a statement that changes figures. */
export function countWriterUse(filename: string, changedFigures: boolean): void {
  bump(writeGenerations, filename);
  if (changedFigures) bump(figureGenerations, filename);
}

/**
 * Another process serving the same file wrote figures to it (the portal on several processes): what
 * this process derived from it may be stale.
 */
export function figuresWrittenElsewhere(filename: string): void {
  bump(figureGenerations, filename);
}

let announceFigures: ((filename: string) => Promise<void>) | undefined;

/**
 * With several processes on one file: `announce` tells the others of this process's figures writes.
 * The writer's caller goes on only once it has resolved, so a page read right after a write, in any
 * process, never comes from a cache that predates it.
 */
export function announceFiguresWrites(announce: ((filename: string) => Promise<void>) | undefined): void {
  announceFigures = announce;
}

/** Tells the other processes (if any) of a figures write to `filename` just committed here. */
export async function figuresWritten(filename: string): Promise<void> {
  await announceFigures?.(path.resolve(filename));
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
