import fs from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { QueryResult, SqlDatabase, SqlExecutor } from '../sql-database.port';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(db: Queryable): SqlExecutor {
  return {
    async query<R>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
      const r = await db.query<R>(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async execScript(sql: string): Promise<void> {
      await db.exec(sql);
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite, Postgres compiled to WASM) in a data directory, or in memory.
 * One connection: PGlite queues queries, and a transaction holds it exclusively.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly kind = 'pglite' as const;
  private readonly exec: SqlExecutor;
  private sessionTail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly db: PGlite,
    private readonly where: string,
  ) {
    this.exec = wrap(db);
  }

  /** dataDir: a directory (created if missing) or undefined for an in-memory database. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new PgliteDatabase(db, dataDir ?? 'memory');
  }

  /** Wraps an existing PGlite instance (e.g. a clone of a template, in tests). */
  static fromInstance(db: PGlite, label = 'memory'): PgliteDatabase {
    return new PgliteDatabase(db, label);
  }

  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.exec.query<R>(text, params);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(wrap(tx)));
  }

  /** The single connection is the session; sessions are serialised so one cannot see another's state. */
  withSession<T>(fn: (session: SqlExecutor) => Promise<T>): Promise<T> {
    const run = this.sessionTail.then(() => fn(this.exec));
    this.sessionTail = run.catch(() => undefined);
    return run;
  }

  execScript(sql: string): Promise<void> {
    return this.exec.execScript(sql);
  }

  describe(): string {
    return `embedded pglite (${this.where})`;
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
