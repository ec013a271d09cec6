export * from './agent/worker-agent';
export * from './run-shard/shard-runner';
export * from './run-shard/command-template';
