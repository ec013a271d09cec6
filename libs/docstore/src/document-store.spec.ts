import { Migrator } from '@verdict/db';
import { describeWithServer, documentStoreContract, freshPglite, uniqueName } from '@verdict/testing';
import { MongoDocumentStore } from './mongodb/mongo-document-store';
import { SqlDocumentStore } from './sql/sql-document-store';

const retention = { logDays: 30, reportDays: 365, mockRequestDays: 7 };

documentStoreContract('sql (embedded)', async () => {
  const db = await freshPglite();
  await new Migrator(db).migrate();
  return { store: new SqlDocumentStore(db, retention), cleanup: () => db.close() };
});

describeWithServer('mongodb', 'MongoDB adapter', (url) => {
  documentStoreContract('mongodb', async () => {
    const dbName = uniqueName('verdict_t');
    const store = await MongoDocumentStore.connect(url, dbName, retention);
    return {
      store,
      cleanup: async () => {
        const { MongoClient } = await import('mongodb');
        const c = await MongoClient.connect(url);
        await c.db(dbName).dropDatabase();
        await c.close();
        await store.close();
      },
    };
  });
});
