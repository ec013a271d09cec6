import type { Envelope, Payloads } from '@verdict/contracts';
import type { DocumentStore } from '@verdict/docstore';
import type { Cache } from '@verdict/queue';
import type { z } from 'zod';

type LogBatch = z.infer<typeof Payloads.LogBatch>;

/** log.batch → appended to the docstore's test_logs in one write; a batch seen in the last hour is skipped. */
export function onLogBatchHandler(deps: { docstore: DocumentStore; cache: Cache }) {
  return async (envelope: Envelope): Promise<void> => {
    const b = envelope.payload as LogBatch;
    const seen = `logbatch:${envelope.id}`;
    if (await deps.cache.get(seen)) return;
    await deps.docstore.appendLogs(
      b.entries.map((e) => ({
        executionId: b.executionId,
        testId: e.testId,
        timestamp: e.timestamp,
        level: e.level,
        message: e.message,
        context: {
          ...(e.stream ? { stream: e.stream } : {}),
          ...(b.shardIndex !== null ? { shardIndex: b.shardIndex } : {}),
        },
        metadata: { messageId: envelope.id },
        correlationId: envelope.correlationId,
      })),
    );
    await deps.cache.set(seen, 1, 3600_000);
  };
}
