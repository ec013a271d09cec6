import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DatabaseUnreachableError } from '../errors';
import { withBackoff } from '../retry';
import type { QueryResult, SqlDatabase, SqlExecutor } from '../sql-database.port';

export interface PostgresOptions {
  url: string;
  ssl?: 'disable' | 'require' | 'verify-full';
  poolMax?: number;
  connectRetries?: number;
  connectTimeoutMs?: number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text format: \N for null, backslash escapes for the characters that delimit rows and fields. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s =
    typeof v === 'string'
      ? v
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPES, (c) => ESCAPED[c]) : s;
}

async function copyInto(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<number> {
  const text = rows.map((r) => r.map(copyField).join('\t')).join('\n') + '\n';
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([text]), stream);
  return stream.rowCount ?? rows.length;
}

function wrap(client: pg.PoolClient | pg.Pool, inTransaction = false): SqlExecutor {
  return {
    async copyRows(table: string, columns: string[], rows: unknown[][]): Promise<number> {
      if (client instanceof pg.Pool) {
        const c = await client.connect();
        try {
          return await copyInto(c, table, columns, rows);
        } finally {
          c.release();
        }
      }
      if (!inTransaction) return copyInto(client, table, columns, rows);
      // Inside a transaction a failed COPY would abort it; a savepoint keeps it usable.
      await client.query('SAVEPOINT verdict_copy');
      try {
        const n = await copyInto(client, table, columns, rows);
        await client.query('RELEASE SAVEPOINT verdict_copy');
        return n;
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT verdict_copy');
        throw error;
      }
    },
    async query<R>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
      const r = await client.query(text, params as unknown[]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async execScript(sql: string): Promise<void> {
      await client.query(sql);
    },
  };
}

/** PostgreSQL through a pg connection pool. */
export class PostgresDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly exec: SqlExecutor;

  private constructor(
    readonly pool: pg.Pool,
    private readonly where: string,
  ) {
    this.exec = wrap(pool);
  }

  /** Connects with pooling and optional SSL, retrying with exponential backoff; names the host when it gives up. */
  static async connect(opts: PostgresOptions): Promise<PostgresDatabase> {
    const u = new URL(opts.url);
    const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
    const ssl =
      !opts.ssl || opts.ssl === 'disable' ? undefined : { rejectUnauthorized: opts.ssl === 'verify-full' };
    const pool = new pg.Pool({
      connectionString: opts.url,
      ssl,
      max: opts.poolMax ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const retries = opts.connectRetries ?? 6;
    try {
      await withBackoff(() => pool.query('SELECT 1'), { retries, onRetry: opts.onRetry });
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnreachableError(where, retries + 1, error);
    }
    return new PostgresDatabase(pool, where);
  }

  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.exec.query<R>(text, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const session = wrap(client, true);
    try {
      await session.query('BEGIN');
      try {
        const out = await fn(session);
        await session.query('COMMIT');
        return out;
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  async withSession<T>(fn: (session: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(wrap(client));
    } finally {
      client.release();
    }
  }

  execScript(sql: string): Promise<void> {
    return this.exec.execScript(sql);
  }

  copyRows(table: string, columns: string[], rows: unknown[][]): Promise<number> {
    return this.exec.copyRows!(table, columns, rows);
  }

  describe(): string {
    return `postgres ${this.where}`;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
