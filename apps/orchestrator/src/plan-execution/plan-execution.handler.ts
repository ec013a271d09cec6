import { createHash } from 'node:crypto';
import type { Logger } from '@verdict/config';
import {
  buildMessage,
  UnrecoverableError,
  ValidationError,
  type Envelope,
  type Payloads,
  type ShardJob,
} from '@verdict/contracts';
import {
  ExecutionRepository,
  OutboxRepository,
  ShardRepository,
  SuiteRepository,
  type SqlDatabase,
} from '@verdict/db';
import type { JobQueue } from '@verdict/queue';
import { GitError, type GitCheckouts } from '@verdict/sources';
import type { z } from 'zod';
import { fileDurations } from './file-durations';
import { selectFiles } from './select-files';
import { planShards } from './shard-planner';

type RequestNew = z.infer<typeof Payloads.RequestNew>;

/** Stable job id per shard, so planning twice (a redelivered request) queues each shard once. */
export function shardJobId(executionId: string, shardIndex: number): string {
  const h = createHash('sha1').update(`${executionId}:${shardIndex}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface PlanDeps {
  db: SqlDatabase;
  queue: JobQueue;
  /** Checkouts of git sources, to select their files at the commit the run is pinned to. */
  git: GitCheckouts;
  log: Logger;
  onPlanned?: () => void;
}

/**
 * request.new → select the suite's files, split them into shards by past durations, store the
 * plan and its shards, queue one job per shard, and announce execution.started (outbox).
 * Idempotent: a redelivered request re-queues the stored plan's jobs (same ids) and no more.
 */
export function planExecutionHandler(deps: PlanDeps) {
  return async (envelope: Envelope): Promise<void> => {
    const req = envelope.payload as RequestNew;
    const executions = new ExecutionRepository(deps.db);
    const execution = await executions.get(req.executionId);
    if (!execution) throw new UnrecoverableError(`execution ${req.executionId} does not exist`);
    if (execution.status !== 'queued' && execution.status !== 'running') return;
    const suite = await new SuiteRepository(deps.db).get(execution.workspaceId, execution.suiteId);
    if (!suite)
      throw new UnrecoverableError(`suite ${execution.suiteId} of execution ${execution.id} does not exist`);
    const log = deps.log.child({ correlationId: execution.id });

    let plan = execution.plan;
    let commit = execution.trigger.commit ?? null;
    if (!plan) {
      let files: string[];
      try {
        let source = suite.run.source;
        if (source.type === 'git') {
          commit ??= await deps.git.resolve(source.url, source.ref);
          source = { type: 'local', path: await deps.git.checkout(source.url, commit) };
        }
        files = await selectFiles(source, suite.selectors);
        if (files.length === 0)
          throw new ValidationError(
            `no test files match ${JSON.stringify(suite.selectors.include)} in ${JSON.stringify(suite.run.source)}`,
            'selectors.include',
          );
      } catch (error) {
        // A wrong ref, a repository that is not there or will not let us in: the run cannot start.
        if (!(error instanceof ValidationError) && !(error instanceof GitError)) throw error;
        await failExecution(deps.db, execution.id, execution.suiteId, execution.workspaceId, error.message);
        log.warn({ err: error.message }, 'execution failed before it started');
        return;
      }
      const history = await fileDurations(deps.db, suite.id);
      plan = planShards({ files, shards: suite.config.shards ?? suite.config.maxWorkers, history });
      const started = buildMessage(
        'execution.started',
        {
          executionId: execution.id,
          suiteId: suite.id,
          shardCount: plan.shards.length,
          totalTests: 0,
          startedAt: new Date().toISOString(),
        },
        { workspaceId: execution.workspaceId, correlationId: execution.id },
      ).envelope;
      const stored = await deps.db.transaction(async (tx) => {
        if (!(await new ExecutionRepository(tx).transition(execution.id, ['queued'], 'running')))
          return false;
        await new ExecutionRepository(tx).setPlan(execution.id, plan!, 0, commit);
        await new ShardRepository(tx).createAll(
          execution.id,
          plan!,
          plan!.shards.map((s) => shardJobId(execution.id, s.index)),
        );
        await new OutboxRepository(tx).add(started);
        return true;
      });
      if (!stored) return; // cancelled meanwhile
      log.info(
        {
          shards: plan.shards.length,
          files: files.length,
          predictedBalance: plan.predictedBalance,
          strategy: plan.strategy,
        },
        'execution planned',
      );
    }

    for (const shard of plan.shards) {
      const payload: ShardJob = {
        executionId: execution.id,
        suiteId: suite.id,
        workspaceId: execution.workspaceId,
        shardIndex: shard.index,
        files: shard.files,
        run: suite.run,
        timeoutMs: suite.config.timeout,
        retries: execution.config.retries,
        commit: suite.run.source.type === 'git' ? commit : null,
      };
      await deps.queue.enqueue({
        id: shardJobId(execution.id, shard.index),
        pool: suite.config.pool,
        priority: req.priority,
        executionId: execution.id,
        payload,
      });
    }
    // Cancelled while the jobs were being queued: the cancel may have swept the queue before
    // they arrived, so sweep again.
    if ((await executions.get(execution.id))?.status === 'cancelled')
      await deps.queue.cancelExecution(execution.id);
    deps.onPlanned?.();
  };
}

async function failExecution(
  db: SqlDatabase,
  executionId: string,
  suiteId: string,
  workspaceId: string,
  reason: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const repo = new ExecutionRepository(tx);
    if (!(await repo.transition(executionId, ['queued'], 'failed', reason))) return;
    const e = (await repo.get(executionId))!;
    await new OutboxRepository(tx).add(
      buildMessage(
        'execution.completed',
        {
          executionId,
          suiteId,
          status: 'failed',
          progress: e.progress,
          durationMs: e.timing.duration ?? 0,
          completedAt: new Date().toISOString(),
        },
        { workspaceId, correlationId: executionId },
      ).envelope,
    );
  });
}
