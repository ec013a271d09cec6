import { MigrationError } from '../errors';
import type { SqlDatabase, SqlExecutor } from '../sql-database.port';
import { MigrationFile, readMigrations } from './migration-files';

/** Key of the advisory lock that keeps two migrating processes apart. */
const MIGRATION_LOCK_KEY = 7_318_042_117;

export interface MigrationStatus {
  version: number;
  name: string;
  applied: boolean;
  appliedAt: Date | null;
  /** false when the file changed after it was applied */
  checksumMatches: boolean | null;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

const label = (m: { version: number; name: string }) => `${String(m.version).padStart(4, '0')}_${m.name}`;

export class Migrator {
  constructor(
    private readonly db: SqlDatabase,
    private readonly migrations: MigrationFile[] = readMigrations(),
  ) {}

  /** Applies pending migrations in order (up to `to`), each in its own transaction. Returns those applied. */
  async migrate(opts: { to?: number } = {}): Promise<MigrationFile[]> {
    return this.locked(async (s) => {
      const applied = await this.applied(s);
      this.verifyChecksums(applied);
      const pending = this.migrations.filter(
        (m) => !applied.has(m.version) && (opts.to === undefined || m.version <= opts.to),
      );
      for (const m of pending) {
        const started = Date.now();
        await this.inTransaction(
          s,
          async () => {
            await s.execScript(m.up);
            await s.query(
              'INSERT INTO schema_migrations (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)',
              [m.version, m.name, m.checksum, Date.now() - started],
            );
          },
          `applying ${label(m)}`,
        );
      }
      return pending;
    });
  }

  /** Reverts the last applied migration, or every migration above `to` (to = 0 reverts all). */
  async rollback(opts: { to?: number } = {}): Promise<MigrationFile[]> {
    return this.locked(async (s) => {
      const applied = await this.applied(s);
      this.verifyChecksums(applied);
      const versions = [...applied.keys()].sort((a, b) => b - a);
      const targets = opts.to === undefined ? versions.slice(0, 1) : versions.filter((v) => v > opts.to!);
      const reverted: MigrationFile[] = [];
      for (const v of targets) {
        const m = this.migrations.find((x) => x.version === v);
        if (!m)
          throw new MigrationError(
            `Migration ${v} is applied but its files are missing; cannot roll it back`,
          );
        await this.inTransaction(
          s,
          async () => {
            await s.execScript(m.down);
            await s.query('DELETE FROM schema_migrations WHERE version = $1', [v]);
          },
          `reverting ${label(m)}`,
        );
        reverted.push(m);
      }
      return reverted;
    });
  }

  async status(): Promise<MigrationStatus[]> {
    return this.locked(async (s) => {
      const applied = await this.applied(s);
      const rows: MigrationStatus[] = this.migrations.map((m) => {
        const a = applied.get(m.version);
        return {
          version: m.version,
          name: m.name,
          applied: !!a,
          appliedAt: a ? new Date(a.applied_at) : null,
          checksumMatches: a ? a.checksum === m.checksum : null,
        };
      });
      for (const [version, a] of applied) {
        if (!this.migrations.some((m) => m.version === version)) {
          rows.push({
            version,
            name: a.name,
            applied: true,
            appliedAt: new Date(a.applied_at),
            checksumMatches: null,
          });
        }
      }
      return rows.sort((a, b) => a.version - b.version);
    });
  }

  /** Drops everything in the public schema and migrates from scratch. */
  async reset(): Promise<MigrationFile[]> {
    await this.locked(async (s) => {
      await s.query('DROP SCHEMA public CASCADE');
      await s.query('CREATE SCHEMA public');
    });
    return this.migrate();
  }

  private verifyChecksums(applied: Map<number, AppliedRow>): void {
    for (const m of this.migrations) {
      const a = applied.get(m.version);
      if (a && a.checksum !== m.checksum) {
        throw new MigrationError(
          `Migration ${label(m)} was edited after it was applied (checksum ${a.checksum.slice(0, 12)}… in the database, ` +
            `${m.checksum.slice(0, 12)}… on disk). Restore the file and add a new migration for the change.`,
        );
      }
    }
  }

  private async applied(s: SqlExecutor): Promise<Map<number, AppliedRow>> {
    await s.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version      integer PRIMARY KEY,
      name         varchar(255) NOT NULL,
      checksum     char(64) NOT NULL,
      execution_ms integer NOT NULL DEFAULT 0,
      applied_at   timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await s.query<AppliedRow>(
      'SELECT version, name, checksum, applied_at FROM schema_migrations',
    );
    return new Map(rows.map((r) => [Number(r.version), r]));
  }

  private async inTransaction(s: SqlExecutor, fn: () => Promise<void>, what: string): Promise<void> {
    await s.query('BEGIN');
    try {
      await fn();
      await s.query('COMMIT');
    } catch (error) {
      await s.query('ROLLBACK').catch(() => undefined);
      throw new MigrationError(`Failed ${what}: ${(error as Error).message}`);
    }
  }

  /** Holds a session-level advisory lock so concurrent migrators run one after the other. */
  private locked<T>(fn: (s: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.withSession(async (s) => {
      await s.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await fn(s);
      } finally {
        await s.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      }
    });
  }
}
