import type { Logger } from '@verdict/config';
import {
  buildMessage,
  type Envelope,
  type Payloads,
  type Progress,
  type TestExecution,
} from '@verdict/contracts';
import {
  ExecutionRepository,
  OutboxRepository,
  ResultRepository,
  ShardRepository,
  TestCaseRepository,
  type SqlExecutor,
  type SqlDatabase,
} from '@verdict/db';
import type { MetricsWriter } from '@verdict/metrics';
import type { Cache } from '@verdict/queue';
import type { z } from 'zod';

type ResultBatch = z.infer<typeof Payloads.ResultBatch>;
type Status = ResultBatch['status'];

export interface IngestionDeps {
  db: SqlDatabase;
  metrics: MetricsWriter;
  cache: Cache;
  log: Logger;
  /** Called after a commit that queued a message in the outbox (wakes the relay). */
  onOutbox?: () => void;
}

export interface IngestionOptions {
  /** Messages waiting together are stored in one transaction, up to this many. */
  maxMessagesPerTransaction?: number;
  /** Transactions at once; messages arriving meanwhile wait and form the next group. */
  concurrency?: number;
}

/** What one transaction did for one execution. */
interface ExecutionOutcome {
  execution: TestExecution;
  progress: Progress;
  completed: boolean;
  status: 'completed' | 'failed';
  /** Batches of which at least one result was new. */
  stored: ResultBatch[];
  /** Tests that passed on a retry, and the wall time, once the execution has ended. */
  flaky: number;
  durationMs: number;
}

/**
 * Stores batches of results in one transaction: results once (a redelivered batch adds
 * nothing), test cases upserted with their history, progress and shard counters moved by what
 * was really added, and, when the last shard's last result is in, the execution ended with
 * execution.completed in the outbox (a conditional status change: exactly once, whatever the
 * number of replicas). Rows are locked in one order (executions, then shards, by id) so
 * concurrent transactions never deadlock.
 */
async function storeBatches(tx: SqlExecutor, batches: ResultBatch[]): Promise<ExecutionOutcome[]> {
  const executions = new ExecutionRepository(tx);
  const live = new Map<string, TestExecution>();
  for (const id of [...new Set(batches.map((b) => b.executionId))].sort()) {
    const e = await executions.lockForResults(id);
    if (e) live.set(id, e); // else deleted (retention) while its results travelled
  }
  const kept = batches.filter((b) => live.has(b.executionId));
  if (!kept.length) return [];

  // Cases, one upsert per suite. A case created now starts with this run in its history, unless
  // the same test comes twice in these batches (then each run is recorded below).
  const cases = new TestCaseRepository(tx);
  const caseIds = new Map<string, string>(); // suite::testKey → id
  const seeded = new Set<string>();
  for (const suiteId of [...new Set(kept.map((b) => b.suiteId))].sort()) {
    const mine = kept.filter((b) => b.suiteId === suiteId);
    const seen = new Map<string, number>();
    for (const b of mine) for (const r of b.results) seen.set(r.testKey, (seen.get(r.testKey) ?? 0) + 1);
    const { ids, created } = await cases.ensure(
      suiteId,
      mine.flatMap((b) =>
        b.results.map((r) => ({
          testKey: r.testKey,
          name: r.name,
          filePath: r.filePath,
          run: seen.get(r.testKey) === 1 ? { status: b.status, durationMs: r.duration.total } : undefined,
        })),
      ),
    );
    for (const [key, id] of ids) {
      caseIds.set(`${suiteId}::${key}`, id);
      if (created.has(id) && seen.get(key) === 1) seeded.add(id);
    }
  }

  const rows = kept.flatMap((b) =>
    b.results.map((r) => ({
      executionId: b.executionId,
      testCaseId: caseIds.get(`${b.suiteId}::${r.testKey}`)!,
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
  const storedKeys = new Set(
    (await new ResultRepository(tx).insertBatchReturning(rows)).map(
      (s) => `${s.executionId}:${s.testCaseId}`,
    ),
  );

  // Which batch added what: each stored row counts once, for the first batch that carries it.
  // By position: a message delivered twice can be the same object twice.
  const added: number[] = [];
  const runs = new Map<Status, { testCaseId: string; durationMs: number }[]>();
  for (const b of kept) {
    let n = 0;
    for (const r of b.results) {
      const testCaseId = caseIds.get(`${b.suiteId}::${r.testKey}`)!;
      if (!storedKeys.delete(`${b.executionId}:${testCaseId}`)) continue;
      n++;
      if (!seeded.has(testCaseId)) {
        const list = runs.get(b.status) ?? [];
        list.push({ testCaseId, durationMs: r.duration.total });
        runs.set(b.status, list);
      }
    }
    added.push(n);
  }
  for (const [status, list] of runs) await cases.recordRuns(status, list);

  const shards = new ShardRepository(tx);
  const outcomes: ExecutionOutcome[] = [];
  for (const [executionId, execution] of live) {
    const mine = kept.map((b, i) => ({ b, n: added[i] })).filter(({ b }) => b.executionId === executionId);
    // Shard counters, by shard index; then the execution's, by status: moved by what was added.
    let shardProgress = { shards: 0, done: 0 };
    for (const index of [...new Set(mine.map(({ b }) => b.shardIndex))].sort((x, y) => x - y)) {
      const ofShard = mine.filter(({ b }) => b.shardIndex === index);
      const n = ofShard.reduce((sum, m) => sum + m.n, 0);
      shardProgress = await shards.recordStored(executionId, index, ofShard[0].b.shardTotal, n);
    }
    let progress: Progress | null = null;
    for (const status of [...new Set(mine.map(({ b }) => b.status))].sort()) {
      const n = mine.filter(({ b }) => b.status === status).reduce((sum, m) => sum + m.n, 0);
      progress = await executions.addProgress(executionId, status, n);
    }
    const outcome: ExecutionOutcome = {
      execution,
      progress: progress!,
      completed: false,
      status: progress!.failed > 0 ? 'failed' : 'completed',
      stored: mine.filter((m) => m.n > 0).map((m) => m.b),
      flaky: 0,
      durationMs: 0,
    };
    if (shardProgress.done === shardProgress.shards && shardProgress.shards > 0) {
      // Lock the row: of several replicas finishing shards at once, one ends the execution.
      await tx.query('SELECT 1 FROM test_executions WHERE id = $1 FOR UPDATE', [executionId]);
      if (await executions.transition(executionId, ['running', 'preparing'], outcome.status)) {
        const done = (await executions.get(executionId))!;
        await new OutboxRepository(tx).add(
          buildMessage(
            'execution.completed',
            {
              executionId: done.id,
              suiteId: done.suiteId,
              status: outcome.status,
              progress: outcome.progress,
              durationMs: done.timing.duration ?? 0,
              completedAt: done.timing.completedAt!,
            },
            { workspaceId: done.workspaceId, correlationId: done.id },
          ).envelope,
        );
        outcome.completed = true;
        outcome.durationMs = done.timing.duration ?? 0;
        const flaky = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM test_results WHERE execution_id = $1 AND flaky',
          [executionId],
        );
        outcome.flaky = Number(flaky.rows[0].n);
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * result.batch → stored (see storeBatches). Messages delivered together (up to the consumer's
 * prefetch) share one transaction: fewer round trips and commits per result. When a shared
 * transaction fails, each of its messages is tried again alone, so one bad message never holds
 * the others back; a message's handler settles only once its results are committed.
 */
export function onResultBatchHandler(deps: IngestionDeps, opts: IngestionOptions = {}) {
  const max = Math.max(1, opts.maxMessagesPerTransaction ?? 8);
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  let inFlight = 0;
  type Waiting = { batch: ResultBatch; resolve: () => void; reject: (e: unknown) => void };
  const waiting: Waiting[] = [];
  let scheduled = false;

  const afterCommit = async (outcomes: ExecutionOutcome[]) => {
    for (const o of outcomes) {
      await deps.cache.set(`progress:${o.execution.id}`, o.progress, 3600_000);
      const at = new Date();
      for (const b of o.stored) {
        for (const r of b.results) {
          deps.metrics.write({
            measurement: 'test_execution',
            tags: {
              suite_id: b.suiteId,
              test_id: r.testKey,
              branch: o.execution.trigger.branch ?? '',
              commit: o.execution.trigger.commit ?? '',
              environment: o.execution.environmentId ?? '',
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
      if (!o.completed) continue;
      const p = o.progress;
      deps.metrics.write({
        measurement: 'execution_summary',
        tags: {
          suite_id: o.execution.suiteId,
          branch: o.execution.trigger.branch ?? '',
          trigger: o.execution.trigger.type,
        },
        fields: {
          total: p.total,
          passed: p.passed,
          failed: p.failed,
          skipped: p.skipped,
          flaky: o.flaky,
          duration_ms: o.durationMs,
          pass_rate: p.total ? p.passed / p.total : 0,
        },
        timestamp: new Date(),
      });
      deps.log.info({ correlationId: o.execution.id, progress: p }, 'execution completed');
      deps.onOutbox?.();
    }
  };

  const store = async (group: Waiting[]) => {
    const outcomes = await deps.db.transaction((tx) =>
      storeBatches(
        tx,
        group.map((w) => w.batch),
      ),
    );
    await afterCommit(outcomes);
  };

  const run = async (group: Waiting[]) => {
    try {
      await store(group);
      for (const w of group) w.resolve();
    } catch (error) {
      if (group.length === 1) group[0].reject(error);
      else for (const w of group) await store([w]).then(w.resolve, w.reject);
    } finally {
      inFlight--;
      flush();
    }
  };

  function flush() {
    scheduled = false;
    while (waiting.length && inFlight < concurrency) {
      inFlight++;
      void run(waiting.splice(0, max));
    }
  }

  return (envelope: Envelope): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ batch: envelope.payload as ResultBatch, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
