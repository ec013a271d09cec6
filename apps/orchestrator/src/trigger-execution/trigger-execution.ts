import { randomUUID } from 'node:crypto';
import {
  buildMessage,
  ConflictError,
  NotFoundError,
  type ExecutionTrigger,
  type TestExecution,
} from '@verdict/contracts';
import {
  EnvironmentRepository,
  ExecutionRepository,
  SuiteRepository,
  type SqlDatabase,
  type SqlExecutor,
} from '@verdict/db';

export interface TriggerRequest {
  workspaceId: string;
  suiteId: string;
  trigger: ExecutionTrigger;
  userId?: string | null;
  /** Overrides of the suite's settings for this run. */
  retries?: number;
  priority?: number;
  environmentId?: string | null;
}

/**
 * Creates an execution: its row and its request.new message in one transaction (the outbox),
 * so a run is never lost between the database and the broker.
 */
export function triggerExecution(db: SqlDatabase, req: TriggerRequest): Promise<TestExecution> {
  return db.transaction((tx) => createExecution(tx, req));
}

/** triggerExecution inside the caller's transaction (a scheduler advancing its schedule in the same one). */
export async function createExecution(tx: SqlExecutor, req: TriggerRequest): Promise<TestExecution> {
  const suite = await new SuiteRepository(tx).get(req.workspaceId, req.suiteId);
  if (!suite) throw new NotFoundError('suite', req.suiteId);
  if (!suite.isActive)
    throw new ConflictError(`suite ${suite.name} is inactive; activate it (PATCH isActive: true) to run it`, {
      field: 'suiteId',
    });
  if (req.environmentId && !(await new EnvironmentRepository(tx).get(req.workspaceId, req.environmentId)))
    throw new NotFoundError('environment', req.environmentId);
  const id = randomUUID();
  const retries = req.retries ?? suite.config.retries;
  const priority = req.priority ?? suite.config.priority;
  const config = {
    parallel: suite.config.parallel,
    workers: suite.config.shards ?? suite.config.maxWorkers,
    timeout: suite.config.timeout,
    retries,
    dryRun: false,
    debug: false,
  };
  const message = buildMessage(
    'request.new',
    {
      executionId: id,
      suiteId: suite.id,
      userId: req.userId ?? null,
      priority,
      config,
      requestedAt: new Date().toISOString(),
    },
    { workspaceId: req.workspaceId, correlationId: id },
  );
  return new ExecutionRepository(tx).create(
    {
      id,
      workspaceId: req.workspaceId,
      suiteId: suite.id,
      userId: req.userId ?? null,
      environmentId: req.environmentId ?? null,
      trigger: req.trigger,
      config,
    },
    [message.envelope],
  );
}
