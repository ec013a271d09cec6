import { PGlite } from '@electric-sql/pglite';
import { PgliteDatabase } from '@verdict/db';
import pg from 'pg';
import { uniqueName } from './services';

/** Creates a throwaway database on a real PostgreSQL server; drop() removes it. */
export async function createTestDatabase(
  serverUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('verdict_t').toLowerCase();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let template: Promise<PGlite> | undefined;
/**
 * A fresh, empty in-memory PGlite database. Creating one runs initdb in WASM (~3.5 s here);
 * cloning a template made once per test process takes a fraction of that.
 */
export async function freshPglite(): Promise<PgliteDatabase> {
  template ??= PGlite.create();
  const clone = await (await template).clone();
  return PgliteDatabase.fromInstance(clone as PGlite);
}
