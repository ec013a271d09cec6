export * from './orchestrator';
export * from './outbox-relay/outbox-relay';
export * from './plan-execution/shard-planner';
export * from './plan-execution/select-files';
export * from './plan-execution/plan-execution.handler';
export * from './trigger-execution/trigger-execution';
export * from './fleet/offline-sweeper';
