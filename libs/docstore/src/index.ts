export * from './document-store.port';
export * from './create-document-store';
export { SqlDocumentStore } from './sql/sql-document-store';
export { MongoDocumentStore } from './mongodb/mongo-document-store';
