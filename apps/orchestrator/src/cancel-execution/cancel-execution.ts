import { buildMessage, ConflictError, NotFoundError, type TestExecution } from '@verdict/contracts';
import { ExecutionRepository, OutboxRepository, ShardRepository, type SqlDatabase } from '@verdict/db';
import type { JobQueue } from '@verdict/queue';

/**
 * Cancels an execution: it ends cancelled with its unfinished shards (one transaction, with
 * execution.cancel and execution.completed in the outbox), its queued jobs leave the queue, and
 * its leased jobs are flagged so their workers kill the run at the next lease renewal.
 * A worker that leases a job of a cancelled execution drops it, so a queue that could not be
 * reached here loses nothing either.
 */
export async function cancelExecution(
  deps: { db: SqlDatabase; queue: JobQueue },
  req: { workspaceId: string; executionId: string; reason: string; requestedBy: string | null },
): Promise<{ execution: TestExecution; removedJobs: number; stoppingJobs: number }> {
  const { db, queue } = deps;
  const execution = await new ExecutionRepository(db).get(req.executionId, req.workspaceId);
  if (!execution) throw new NotFoundError('execution', req.executionId);
  const meta = { workspaceId: req.workspaceId, correlationId: execution.id };
  const cancelled = await db.transaction(async (tx) => {
    const executions = new ExecutionRepository(tx);
    const live = ['queued', 'preparing', 'running'] as const;
    if (!(await executions.transition(execution.id, [...live], 'cancelled', `cancelled: ${req.reason}`)))
      return null;
    await new ShardRepository(tx).cancelUnfinished(execution.id);
    const now = (await executions.get(execution.id))!;
    const outbox = new OutboxRepository(tx);
    await outbox.add(
      buildMessage(
        'execution.cancel',
        { executionId: execution.id, reason: req.reason, requestedBy: req.requestedBy },
        meta,
      ).envelope,
    );
    await outbox.add(
      buildMessage(
        'execution.completed',
        {
          executionId: execution.id,
          suiteId: execution.suiteId,
          status: 'cancelled',
          progress: now.progress,
          durationMs: now.timing.duration ?? 0,
          completedAt: now.timing.completedAt ?? new Date().toISOString(),
        },
        meta,
      ).envelope,
    );
    return now;
  });
  if (!cancelled) {
    const status = (await new ExecutionRepository(db).get(execution.id))?.status ?? execution.status;
    throw new ConflictError(
      `execution ${execution.id} is already ${status}: only a queued or running execution can be cancelled`,
      { field: 'status', status },
    );
  }
  const { removed, leased } = await queue.cancelExecution(execution.id);
  return { execution: cancelled, removedJobs: removed, stoppingJobs: leased.length };
}
