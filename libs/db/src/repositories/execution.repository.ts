import type {
  Envelope,
  ExecutionConfig,
  ExecutionStatus,
  ExecutionTrigger,
  Page,
  Progress,
  TriggerType,
  ShardPlan,
  TestExecution,
} from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { OutboxRepository } from './outbox.repository';
import { iso, isoOrNull, num, selectPage, Where } from './rows';

export interface NewExecution {
  workspaceId: string;
  suiteId: string;
  userId?: string | null;
  environmentId?: string | null;
  trigger: ExecutionTrigger;
  config: ExecutionConfig;
  selection?: TestExecution['selection'];
}

type Row = Record<string, unknown>;
const toProgress = (r: Row): Progress => ({
  total: num(r.total),
  completed: num(r.completed),
  passed: num(r.passed),
  failed: num(r.failed),
  skipped: num(r.skipped),
  pending: num(r.pending),
});

export const toExecution = (r: Row): TestExecution => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  suiteId: String(r.suite_id),
  userId: (r.user_id as string) ?? null,
  environmentId: (r.environment_id as string) ?? null,
  dataSetId: (r.data_set_id as string) ?? null,
  trigger: r.trigger as ExecutionTrigger,
  config: r.config as ExecutionConfig,
  selection: r.selection as TestExecution['selection'],
  status: r.status as ExecutionStatus,
  progress: toProgress(r),
  timing: {
    queuedAt: iso(r.queued_at),
    startedAt: isoOrNull(r.started_at),
    completedAt: isoOrNull(r.completed_at),
    duration: r.duration_ms === null || r.duration_ms === undefined ? null : num(r.duration_ms),
  },
  resources: r.resources as TestExecution['resources'],
  plan: (r.plan as ShardPlan) ?? null,
  error: (r.error as string) ?? null,
});

export interface ExecutionFilter {
  suiteId?: string;
  projectId?: string;
  status?: ExecutionStatus[];
  branch?: string;
  triggerType?: TriggerType;
  /** Queued at or after. */
  from?: string;
  /** Queued before. */
  to?: string;
}

export class ExecutionRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Inserts the execution and, in the same transaction when `db` is one, the messages it
   * produces into the outbox: either both are stored or neither.
   */
  async create(e: NewExecution & { id?: string }, messages: Envelope[] = []): Promise<TestExecution> {
    const { rows } = await this.db.query(
      `INSERT INTO test_executions (id, workspace_id, suite_id, user_id, environment_id, trigger_type, branch, commit_sha,
                                    trigger, config, selection)
       VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        e.id ?? null,
        e.workspaceId,
        e.suiteId,
        e.userId ?? null,
        e.environmentId ?? null,
        e.trigger.type,
        e.trigger.branch ?? null,
        e.trigger.commit ?? null,
        JSON.stringify(e.trigger),
        JSON.stringify(e.config),
        JSON.stringify(e.selection ?? { tests: [] }),
      ],
    );
    const outbox = new OutboxRepository(this.db);
    for (const m of messages) await outbox.add(m);
    return toExecution(rows[0]);
  }

  async get(id: string, workspaceId?: string): Promise<TestExecution | null> {
    const { rows } = await this.db.query(
      'SELECT * FROM test_executions WHERE id = $1 AND ($2::uuid IS NULL OR workspace_id = $2)',
      [id, workspaceId ?? null],
    );
    return rows[0] ? toExecution(rows[0]) : null;
  }

  /**
   * The execution, locked against deletion until the transaction ends (FOR KEY SHARE: updates
   * of its counters by other transactions still go ahead). test_results has no foreign key to
   * it (migration 0006); ingestion takes this lock once per batch instead.
   */
  async lockForResults(id: string): Promise<TestExecution | null> {
    const { rows } = await this.db.query('SELECT * FROM test_executions WHERE id = $1 FOR KEY SHARE', [id]);
    return rows[0] ? toExecution(rows[0]) : null;
  }

  /** Newest first. */
  async list(
    workspaceId: string,
    f: ExecutionFilter,
    page: { limit: number; offset: number },
  ): Promise<Page<TestExecution>> {
    const where = new Where()
      .add('workspace_id = ?', workspaceId)
      .add('suite_id = ?', f.suiteId)
      .add('suite_id IN (SELECT id FROM test_suites WHERE project_id = ?)', f.projectId)
      .add('status = ANY(?::text[])', f.status?.length ? f.status : undefined)
      .add('branch = ?', f.branch)
      .add('trigger_type = ?', f.triggerType)
      .add('queued_at >= ?::timestamptz', f.from)
      .add('queued_at < ?::timestamptz', f.to);
    return selectPage(
      this.db,
      { select: '*', from: 'test_executions', where, orderBy: 'queued_at DESC, id DESC' },
      page,
      toExecution,
    );
  }

  /** Adds `n` stored results of one status to the live counters (broken counts as failed) and returns them. */
  async addProgress(
    id: string,
    status: 'passed' | 'failed' | 'skipped' | 'pending' | 'broken',
    n: number,
  ): Promise<Progress> {
    const column = status === 'broken' ? 'failed' : status;
    const { rows } = await this.db.query(
      `UPDATE test_executions SET completed = completed + $2::int, total = GREATEST(total, completed + $2::int), ${column} = ${column} + $2::int
       WHERE id = $1 RETURNING total, completed, passed, failed, skipped, pending`,
      [id, n],
    );
    return toProgress(rows[0]);
  }

  /** Moves to a status only from one of `from`; returns false when another process moved it first. */
  async transition(
    id: string,
    from: ExecutionStatus[],
    to: ExecutionStatus,
    error: string | null = null,
  ): Promise<boolean> {
    const terminal = to === 'completed' || to === 'failed' || to === 'cancelled';
    const { rowCount } = await this.db.query(
      `UPDATE test_executions SET status = $3::text, error = coalesce($4::text, error),
         started_at = CASE WHEN $3::text = 'running' AND started_at IS NULL THEN now() ELSE started_at END,
         completed_at = CASE WHEN $5::bool THEN now() ELSE completed_at END,
         duration_ms = CASE WHEN $5::bool THEN (extract(epoch FROM now() - coalesce(started_at, queued_at)) * 1000)::int ELSE duration_ms END
       WHERE id = $1 AND status = ANY($2::text[])`,
      [id, from, to, error, terminal],
    );
    return rowCount === 1;
  }

  /** Stores the plan; for a git source also the commit it was planned at, when the trigger named none. */
  async setPlan(id: string, plan: ShardPlan, total: number, commit: string | null = null): Promise<void> {
    await this.db.query(
      `UPDATE test_executions SET plan = $2, total = $3, pending = $3,
         commit_sha = coalesce(commit_sha, $4::text),
         trigger = CASE WHEN $4::text IS NULL OR trigger ? 'commit' THEN trigger ELSE trigger || jsonb_build_object('commit', $4::text) END
       WHERE id = $1`,
      [id, JSON.stringify(plan), total, commit],
    );
  }
}
