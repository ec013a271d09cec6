import { createTestDatabase, databaseContract, describeWithServer, freshPglite } from '@verdict/testing';
import { PostgresDatabase } from './postgres/postgres-database';

databaseContract('pglite (embedded)', async () => {
  const db = await freshPglite();
  return { db, cleanup: () => db.close() };
});

describeWithServer('postgres', 'PostgreSQL adapter', (serverUrl) => {
  databaseContract('postgres (pg)', async () => {
    const { url, drop } = await createTestDatabase(serverUrl);
    const db = await PostgresDatabase.connect({ url, connectRetries: 0 });
    const others: PostgresDatabase[] = [];
    return {
      db,
      second: async () => {
        const o = await PostgresDatabase.connect({ url, connectRetries: 0 });
        others.push(o);
        return o;
      },
      cleanup: async () => {
        await db.close();
        await Promise.all(others.map((o) => o.close().catch(() => undefined)));
        await drop();
      },
    };
  });
});
