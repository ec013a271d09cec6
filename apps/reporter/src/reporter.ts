import type { MessageBus, Subscription } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { Envelope, Payloads } from '@verdict/contracts';
import type { SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import { planNotifications } from '@verdict/notifications';
import { buildReport } from '@verdict/reports';
import type { z } from 'zod';

type Completed = z.infer<typeof Payloads.ExecutionCompleted>;

/**
 * execution.completed → the execution's report, built and stored in the docstore's
 * test_reports (its renderings are made from it on request). A redelivery builds it again and
 * replaces it: the same inputs give the same report, and notifications already planned are not
 * planned again.
 */
export interface ReporterDeps {
  db: SqlDatabase;
  docstore: DocumentStore;
  log: Logger;
  notifications: { publicUrl: string; maxAttempts: number };
  /** Called after a commit that queued messages in the outbox (wakes the relay). */
  onOutbox?: () => void;
}

export function onExecutionCompletedHandler(deps: ReporterDeps) {
  return async (envelope: Envelope): Promise<void> => {
    const { executionId } = envelope.payload as Completed;
    const started = Date.now();
    const report = await buildReport(deps.db, executionId);
    await deps.docstore.saveReport(report);
    // The notifications the report calls for, planned once each with their notify messages.
    const planned = await deps.db.transaction((tx) => planNotifications(tx, report, deps.notifications));
    if (planned.deliveryIds.length) deps.onOutbox?.();
    deps.log.info(
      {
        correlationId: executionId,
        tests: report.summary.total,
        notifications: planned.deliveryIds.length,
        ms: Date.now() - started,
      },
      'report stored',
    );
  };
}

export async function startReporter(
  deps: ReporterDeps & { bus: MessageBus },
): Promise<{ stop(): Promise<void> }> {
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
