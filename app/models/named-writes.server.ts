// The write transactions of an item's life (create, edit, delete a draft; every transition), by
// name, so that with the portal on several processes they run in the primary rather than in the
// worker that took the request.
//
// Why: a transaction is a dozen statements, and each statement's answer waits for a turn of its
// process's event loop. In a worker busy rendering pages that is several milliseconds a statement,
// so under the month-end rush a transaction held the one shared turn to write for 40–75 ms while
// SQLite itself needed 2–3 ms, and every 报送, 签发 and 采用 queued behind the others for about a
// second (docs/performance-log.md, 负载测试). The primary's loop is nearly idle: there the same transaction holds the
// turn for about as long as SQLite takes.
//
// A named write is a function of a transaction and a payload the processes can pass to each other
// (plain data, Dates; no functions). In a worker `namedWrite`'s function sends the name and
// payload to the primary (lib/cluster.server.ts) and gives back what the primary's run of it gave:
// its value, its refusal (thrown again as `Refused`, so `settle` and the routes see what they saw
// before), or an error with its message and code. The primary announces the write's figures to
// every worker before it answers, so the page after the write shows it, whichever process serves
// it. Alone in its process (tests, WEB_CONCURRENCY=1) it runs the transaction in place.
import type { Kysely, Transaction } from "kysely";
import { databaseFileOf } from "../../db/connect";
import type { Database } from "../../db/schema";
import { Refused, type Refusal } from "~/domain/refusal";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

export type WriteWork<P, R> = (trx: Trx, payload: P) => Promise<R>;

/** How a named write ended, as it travels from the process that ran it. */
export type WriteOutcome =
  | { value: unknown }
  | { refused: Refusal }
  | { error: { name: string; message: string; code?: string; stack?: string } };

/** Sends a named write to the process that runs it and resolves with how it ended. */
export type WriteSender = (write: { name: string; file: string; payload: unknown }) => Promise<WriteOutcome>;

const works = new Map<string, WriteWork<never, unknown>>();
let sender: WriteSender | undefined;

/**
 * A write transaction named `name` (unique in the portal): a function of the writer and a payload
 * that runs `work` in a transaction, here or, in a worker, in the primary.
 */
export function namedWrite<P, R>(name: string, work: WriteWork<P, R>): (db: DB, payload: P) => Promise<R> {
  if (works.has(name)) throw new Error(`写事务重名：${name}`);
  works.set(name, work as WriteWork<never, unknown>);
  return async (db, payload) => {
    const file = databaseFileOf(db);
    if (!sender || !file) return db.transaction().execute((trx) => work(trx, payload));
    return valueOf(await sender({ name, file, payload })) as R;
  };
}

/** In a worker: named writes go through `send` (undefined: they run here again). */
export function sendNamedWrites(send: WriteSender | undefined): void {
  sender = send;
}

/**
 * In the process that runs the writes: the named write `name` on `db` (the writer of `file`), its
 * outcome ready to send back. Never throws.
 */
export async function runNamedWrite(db: DB, write: { name: string; file: string; payload: unknown }): Promise<WriteOutcome> {
  try {
    const work = works.get(write.name);
    if (!work) throw new Error(`没有名为 ${write.name} 的写事务`);
    if (databaseFileOf(db) !== write.file) throw new Error(`写事务 ${write.name} 的数据库不是本进程的：${write.file}`);
    return { value: await db.transaction().execute((trx) => work(trx, write.payload as never)) };
  } catch (error) {
    if (error instanceof Refused) return { refused: error.refusal };
    const e = error instanceof Error ? error : new Error(String(error));
    const code = (e as { code?: unknown }).code;
    return { error: { name: e.name, message: e.message, stack: e.stack, ...(typeof code === "string" ? { code } : {}) } };
  }
}

/** The value of an outcome, or its refusal or error thrown as the write itself threw it. */
export function valueOf(outcome: WriteOutcome): unknown {
  if ("value" in outcome) return outcome.value;
  if ("refused" in outcome) throw new Refused(outcome.refused);
  const error = Object.assign(new Error(outcome.error.message), outcome.error.code ? { code: outcome.error.code } : {});
  error.name = outcome.error.name;
  if (outcome.error.stack) error.stack = outcome.error.stack;
  throw error;
}
