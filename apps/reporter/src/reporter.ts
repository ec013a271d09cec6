import type { MessageBus, Subscription } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { Envelope, Payloads } from '@verdict/contracts';
import type { SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import { buildReport } from '@verdict/reports';
import type { z } from 'zod';

type Completed = z.infer<typeof Payloads.ExecutionCompleted>;

/**
 * execution.completed → the execution's report, built and stored in the docstore's
 * test_reports (its renderings are made from it on request). A redelivery builds it again and
 * replaces it: the same inputs give the same report.
 */
export function onExecutionCompletedHandler(deps: { db: SqlDatabase; docstore: DocumentStore; log: Logger }) {
  return async (envelope: Envelope): Promise<void> => {
    const { executionId } = envelope.payload as Completed;
    const started = Date.now();
    const report = await buildReport(deps.db, executionId);
    await deps.docstore.saveReport(report);
    deps.log.info(
      { correlationId: executionId, tests: report.summary.total, ms: Date.now() - started },
      'report stored',
    );
  };
}

export async function startReporter(deps: {
  db: SqlDatabase;
  bus: MessageBus;
  docstore: DocumentStore;
  log: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const log = deps.log.child({ service: 'reporter' });
  const subs: Subscription[] = [
    await deps.bus.subscribe({
      queue: 'reporter.completed',
      bindings: [{ exchange: 'test.execution', pattern: 'execution.completed' }],
      prefetch: 2,
      handler: onExecutionCompletedHandler({ ...deps, log }),
    }),
  ];
  return { stop: async () => void (await Promise.all(subs.map((s) => s.cancel()))) };
}
