export * from './services';
export * from './fixtures';
export * from './contracts/bus.contract';
export * from './databases';
export * from './contracts/database.contract';
export * from './contracts/job-queue.contract';
export * from './contracts/coordination.contract';
