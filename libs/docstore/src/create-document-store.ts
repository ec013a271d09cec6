import type { VerdictConfig } from '@verdict/config';
import type { SqlDatabase } from '@verdict/db';
import type { DocumentStore } from './document-store.port';
import { MongoDocumentStore } from './mongodb/mongo-document-store';
import { SqlDocumentStore } from './sql/sql-document-store';

/** MongoDB when MONGO_URL is set, else JSONB tables in the SQL database. */
export async function createDocumentStore(config: VerdictConfig, db: SqlDatabase): Promise<DocumentStore> {
  if (config.docstore.adapter === 'mongodb') {
    return MongoDocumentStore.connect(config.docstore.url, config.docstore.dbName, config.docRetention);
  }
  return new SqlDocumentStore(db, config.docRetention);
}
