import type { VerdictConfig } from '@verdict/config';
import { PgliteDatabase } from './pglite/pglite-database';
import { PostgresDatabase } from './postgres/postgres-database';
import type { SqlDatabase } from './sql-database.port';

/** Opens the database the config names: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export async function openDatabase(
  config: VerdictConfig['database'],
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void,
): Promise<SqlDatabase> {
  if (config.adapter === 'postgres') {
    return PostgresDatabase.connect({
      url: config.url,
      ssl: config.ssl,
      poolMax: config.poolMax,
      connectRetries: config.connectRetries,
      connectTimeoutMs: config.connectTimeoutMs,
      onRetry,
    });
  }
  return PgliteDatabase.open(config.dataDir);
}
