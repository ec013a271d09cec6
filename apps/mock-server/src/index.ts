export * from './mock-server';
export { EXECUTION_HEADER } from './traffic';
export { importOpenApi } from './openapi-import';
