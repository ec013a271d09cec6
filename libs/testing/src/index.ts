export * from './services';
export * from './fixtures';
export * from './contracts/bus.contract';
