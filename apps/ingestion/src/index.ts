export * from './ingestion';
export * from './on-result-batch/on-result-batch.handler';
export * from './on-log-batch/on-log-batch.handler';
