import type { Logger } from '@verdict/config';
import { buildMessage, type Envelope, type Payloads } from '@verdict/contracts';
import {
  ExecutionRepository,
  OutboxRepository,
  ResultRepository,
  ShardRepository,
  TestCaseRepository,
  type SqlDatabase,
} from '@verdict/db';
import type { MetricsWriter } from '@verdict/metrics';
import type { Cache } from '@verdict/queue';
import type { z } from 'zod';

type ResultBatch = z.infer<typeof Payloads.ResultBatch>;

export interface IngestionDeps {
  db: SqlDatabase;
  metrics: MetricsWriter;
  cache: Cache;
  log: Logger;
  /** Called after a commit that queued a message in the outbox (wakes the relay). */
  onOutbox?: () => void;
}

/**
 * result.batch → results stored once (a redelivered batch adds nothing), test cases upserted
 * with their history, progress kept in Postgres and Redis, metrics written; when the last
 * shard's last result is in, the execution ends and execution.completed goes out exactly once
 * (the status change is conditional and shares the transaction with the outbox row).
 */
export function onResultBatchHandler(deps: IngestionDeps) {
  return async (envelope: Envelope): Promise<void> => {
    const b = envelope.payload as ResultBatch;
    const outcome = await deps.db.transaction(async (tx) => {
      const execution = await new ExecutionRepository(tx).get(b.executionId);
      if (!execution) return null; // deleted (retention) while its results travelled
      const ids = await new TestCaseRepository(tx).upsertMany(
        b.suiteId,
        b.results.map((r) => ({ testKey: r.testKey, name: r.name, filePath: r.filePath })),
      );
      const stored = await new ResultRepository(tx).insertBatchReturning(
        b.results.map((r) => ({
          executionId: b.executionId,
          testCaseId: ids.get(r.testKey)!,
          shardIndex: b.shardIndex,
          status: r.status,
          duration: r.duration,
          error: r.error,
          attempts: r.attempts,
          flaky: r.flaky,
          coverage: r.coverage ?? null,
          artifacts: r.artifacts ?? {},
          metadata: { node: b.nodeId ?? undefined },
        })),
      );
      const inserted = stored.length;
      const durations = new Map(b.results.map((r) => [ids.get(r.testKey)!, r.duration.total]));
      await new TestCaseRepository(tx).recordRuns(
        b.status,
        stored.map((id) => ({ testCaseId: id, durationMs: durations.get(id) ?? 0 })),
      );
      // Counters move by what this batch really added (0 for a redelivery): no recounting.
      const shards = await new ShardRepository(tx).recordStored(
        b.executionId,
        b.shardIndex,
        b.shardTotal,
        inserted,
      );
      const progress = await new ExecutionRepository(tx).addProgress(b.executionId, b.status, inserted);
      let completed = false;
      if (shards.done === shards.shards && shards.shards > 0) {
        // Lock the row: of several replicas finishing shards at once, one ends the execution.
        await tx.query('SELECT 1 FROM test_executions WHERE id = $1 FOR UPDATE', [b.executionId]);
        const status = progress.failed > 0 ? 'failed' : 'completed';
        if (await new ExecutionRepository(tx).transition(b.executionId, ['running', 'preparing'], status)) {
          const done = (await new ExecutionRepository(tx).get(b.executionId))!;
          await new OutboxRepository(tx).add(
            buildMessage(
              'execution.completed',
              {
                executionId: done.id,
                suiteId: done.suiteId,
                status,
                progress,
                durationMs: done.timing.duration ?? 0,
                completedAt: done.timing.completedAt!,
              },
              { workspaceId: done.workspaceId, correlationId: done.id },
            ).envelope,
          );
          completed = true;
        }
      }
      return { inserted, progress, completed, execution };
    });
    if (!outcome) return;
    await deps.cache.set(`progress:${b.executionId}`, outcome.progress, 3600_000);
    if (outcome.inserted > 0) {
      const at = new Date();
      for (const r of b.results) {
        deps.metrics.write({
          measurement: 'test_execution',
          tags: {
            suite_id: b.suiteId,
            test_id: r.testKey,
            branch: outcome.execution.trigger.branch ?? '',
            commit: outcome.execution.trigger.commit ?? '',
            environment: outcome.execution.environmentId ?? '',
          },
          fields: {
            duration: r.duration.total,
            status: r.status === 'passed' ? 1 : 0,
            retries: Math.max(0, r.attempts.length - 1),
          },
          timestamp: at,
        });
      }
    }
    if (outcome.completed) {
      const p = outcome.progress;
      deps.metrics.write({
        measurement: 'execution_summary',
        tags: {
          suite_id: b.suiteId,
          branch: outcome.execution.trigger.branch ?? '',
          trigger: outcome.execution.trigger.type,
        },
        fields: {
          total: p.total,
          passed: p.passed,
          failed: p.failed,
          skipped: p.skipped,
          pass_rate: p.total ? p.passed / p.total : 0,
        },
        timestamp: new Date(),
      });
      deps.log.info({ correlationId: b.executionId, progress: p }, 'execution completed');
      deps.onOutbox?.();
    }
  };
}
