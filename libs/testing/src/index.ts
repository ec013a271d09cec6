export * from './services';
export * from './fixtures';
export * from './contracts/bus.contract';
export * from './databases';
export * from './contracts/database.contract';
