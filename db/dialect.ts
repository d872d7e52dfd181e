// A Kysely dialect over the asynchronous `sqlite3` package.
//
// Kysely's own SQLite dialect expects better-sqlite3's synchronous API. This one reuses
// Kysely's compiler, adapter and introspector and supplies only the driver:
//  - the writer: one connection behind a mutex (node-sqlite3 would otherwise interleave two
//    requests' statements on the same connection), write transactions begin IMMEDIATE so a
//    transaction never fails half-way on a lock upgrade; each use is counted, and with several
//    processes takes the shared turn and announces figures writes (write-generations.ts);
//  - the readers: a small pool of connections opened read-only, so a long report runs beside
//    the writer and other pages instead of queueing behind them.
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
} from "kysely";
import { configureConnection, openDatabase, Sqlite3Connection, type SqliteConnectionOptions } from "./sqlite3-connection";
import { recordWriterUse } from "./writer-uses";
import { followReach, takeReach, TABLES_WITH_REACH, type WriteReach } from "./write-reach";
import { changesSchema, figuresWriteOf } from "./written-tables";
import { countWriterUse, figuresWritten, sharedWriterTurn, type WriterTurn } from "./write-generations";

class Mutex {
  #queue: Array<() => void> = [];
  #locked = false;
  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }
  unlock(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#locked = false;
  }
}

abstract class BaseDriver implements Driver {
  protected options: SqliteConnectionOptions;
  constructor(options: SqliteConnectionOptions) {
    this.options = options;
  }
  abstract init(): Promise<void>;
  abstract acquireConnection(): Promise<DatabaseConnection>;
  abstract releaseConnection(connection: DatabaseConnection): Promise<void>;
  abstract destroy(): Promise<void>;

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(this.options.readonly ? "begin" : "begin immediate"));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdent(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdent(name)}`));
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The single writer connection, serialised by a mutex (and, with several processes, by their shared turn). */
export class WriterDriver extends BaseDriver {
  #mutex = new Mutex();
  #connection?: Sqlite3Connection;
  #turn?: WriterTurn;
  /** When the current use asked for the writer and when it got it (recordWriterUse). */
  #askedAt = 0;
  #heldSince = 0;

  /** What the current use did to the figures: nothing yet, rows of the tables followed by unit and month only, or anything. */
  #figures: "none" | "followed" | "anything" = "none";
  /** Whether the triggers that note each write's reach are in place (db/write-reach.ts); a statement of DDL may drop them. */
  #following = false;

  async init(): Promise<void> {
    const conn = new Sqlite3Connection(await openDatabase(this.options.filename, false));
    await configureConnection(conn, { ...this.options, readonly: false });
    conn.onStatement = (sql) => {
      if (this.#figures === "anything") return;
      const write = figuresWriteOf(sql);
      if (write === "none") return;
      if (write !== "anything" && this.#following && TABLES_WITH_REACH.has(write.table)) this.#figures = "followed";
      else {
        this.#figures = "anything";
        // DDL may have dropped a followed table (and its triggers with it): set them again next time.
        if (changesSchema(sql)) this.#following = false;
      }
    };
    this.#connection = conn;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const askedAt = performance.now();
    await this.#mutex.lock();
    const turn = sharedWriterTurn();
    if (turn) {
      try {
        await turn.take();
      } catch (error) {
        this.#mutex.unlock();
        throw error;
      }
      this.#turn = turn;
    }
    // Until the triggers are in place (before the migrations, or if setting them failed), every figures write reaches everything.
    if (!this.#following) this.#following = await followReach(this.#connection!).catch(() => false);
    this.#figures = "none";
    this.#askedAt = askedAt;
    this.#heldSince = performance.now();
    return this.#connection!;
  }
  async releaseConnection(): Promise<void> {
    recordWriterUse({ waitedMs: this.#heldSince - this.#askedAt, heldMs: performance.now() - this.#heldSince });
    const reach = await this.#reachOfUse();
    countWriterUse(this.options.filename, reach);
    this.#figures = "none";
    this.#turn?.give();
    this.#turn = undefined;
    this.#mutex.unlock();
    // Committed: the next writer may go on while the other processes hear of it.
    if (reach !== null) await figuresWritten(this.options.filename, reach);
  }

  /** How far the figures changed by the use ending now reached (null: it changed none); the triggers' notes are cleared. */
  async #reachOfUse(): Promise<WriteReach | null> {
    // Notes are taken whenever the triggers may have written some, so none is left for the next use.
    let noted: WriteReach = "everything";
    if (this.#following && this.#figures !== "none") {
      try {
        noted = await takeReach(this.#connection!);
      } catch {
        this.#following = false;
      }
    }
    if (this.#figures === "none") return null;
    return this.#figures === "followed" ? noted : "everything";
  }
  async destroy(): Promise<void> {
    await this.#connection?.close();
    this.#connection = undefined;
  }
}

/** A pool of read-only connections; a caller waits only when every reader is busy. */
export class ReaderPoolDriver extends BaseDriver {
  #size: number;
  #idle: Sqlite3Connection[] = [];
  #all: Sqlite3Connection[] = [];
  #waiting: Array<(c: Sqlite3Connection) => void> = [];

  constructor(options: SqliteConnectionOptions & { size?: number }) {
    super({ ...options, readonly: true });
    this.#size = Math.max(1, options.size ?? 4);
  }
  async init(): Promise<void> {
    for (let i = 0; i < this.#size; i++) {
      const conn = new Sqlite3Connection(await openDatabase(this.options.filename, true));
      await configureConnection(conn, this.options);
      this.#all.push(conn);
      this.#idle.push(conn);
    }
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = this.#idle.pop();
    if (conn) return conn;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const next = this.#waiting.shift();
    if (next) next(connection as Sqlite3Connection);
    else this.#idle.push(connection as Sqlite3Connection);
  }
  async destroy(): Promise<void> {
    await Promise.all(this.#all.map((c) => c.close()));
    this.#all = [];
    this.#idle = [];
  }
}

abstract class BaseDialect implements Dialect {
  abstract createDriver(): Driver;
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

export class Sqlite3WriterDialect extends BaseDialect {
  constructor(private options: SqliteConnectionOptions) {
    super();
  }
  createDriver(): Driver {
    return new WriterDriver(this.options);
  }
}

export class Sqlite3ReaderDialect extends BaseDialect {
  constructor(private options: SqliteConnectionOptions & { size?: number }) {
    super();
  }
  createDriver(): Driver {
    return new ReaderPoolDriver(this.options);
  }
}
