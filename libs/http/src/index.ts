export * from './http';
export * from './openapi';
export * from './common';
export * from './app';
