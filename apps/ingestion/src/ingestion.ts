import type { MessageBus, Subscription } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import type { MetricsWriter } from '@verdict/metrics';
import type { Cache } from '@verdict/queue';
import { onLogBatchHandler } from './on-log-batch/on-log-batch.handler';
import { onResultBatchHandler } from './on-result-batch/on-result-batch.handler';

/**
 * Ingestion's consumers: results (16 messages unacked at most, stored in groups of up to 8 per
 * transaction, 2 transactions at once: see docs/benchmarks.md) and logs.
 */
export async function startIngestion(deps: {
  db: SqlDatabase;
  bus: MessageBus;
  docstore: DocumentStore;
  metrics: MetricsWriter;
  cache: Cache;
  log: Logger;
  onOutbox?: () => void;
}): Promise<{ stop(): Promise<void> }> {
  const log = deps.log.child({ service: 'ingestion' });
  const subs: Subscription[] = [
    await deps.bus.subscribe({
      queue: 'ingestion.results',
      bindings: [{ exchange: 'test.results', pattern: 'result.*' }],
      prefetch: 16,
      handler: onResultBatchHandler({ ...deps, log }),
    }),
    await deps.bus.subscribe({
      queue: 'ingestion.logs',
      bindings: [{ exchange: 'test.logs', pattern: 'log.*' }],
      prefetch: 8,
      handler: onLogBatchHandler(deps),
    }),
  ];
  return { stop: async () => void (await Promise.all(subs.map((s) => s.cancel()))) };
}
