import type {
  DeliveryAttempt,
  NotificationDelivery,
  NotificationRule,
  NotificationTarget,
  Page,
  SendWhen,
} from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, isoOrNull, num, selectPage, Where } from './rows';

type Row = Record<string, unknown>;
const toRule = (r: Row): NotificationRule => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  projectId: (r.project_id as string) ?? null,
  suiteId: (r.suite_id as string) ?? null,
  name: String(r.name),
  target: { ...(r.target as object), channel: r.channel } as NotificationTarget,
  when: r.send_when as SendWhen,
  isActive: Boolean(r.is_active),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export type RuleFields = Pick<
  NotificationRule,
  'projectId' | 'suiteId' | 'name' | 'target' | 'when' | 'isActive'
>;

const targetJson = ({ channel: _c, ...rest }: NotificationTarget) => JSON.stringify(rest);

export class NotificationRuleRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(workspaceId: string, f: RuleFields): Promise<NotificationRule> {
    const { rows } = await this.db.query(
      `INSERT INTO notification_rules (workspace_id, project_id, suite_id, name, channel, target, send_when, is_active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        workspaceId,
        f.projectId,
        f.suiteId,
        f.name,
        f.target.channel,
        targetJson(f.target),
        f.when,
        f.isActive,
      ],
    );
    return toRule(rows[0]);
  }

  async get(workspaceId: string, id: string): Promise<NotificationRule | null> {
    const { rows } = await this.db.query(
      'SELECT * FROM notification_rules WHERE workspace_id = $1 AND id = $2 AND mock_id IS NULL',
      [workspaceId, id],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  async list(
    workspaceId: string,
    filter: { projectId?: string; suiteId?: string; channel?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<NotificationRule>> {
    const where = new Where()
      .equals({
        workspace_id: workspaceId,
        project_id: filter.projectId,
        suite_id: filter.suiteId,
        channel: filter.channel,
      })
      .raw('mock_id IS NULL');
    return selectPage(
      this.db,
      { select: '*', from: 'notification_rules', where, orderBy: 'lower(name), id' },
      page,
      toRule,
    );
  }

  async replace(workspaceId: string, id: string, f: RuleFields): Promise<NotificationRule | null> {
    const { rows } = await this.db.query(
      `UPDATE notification_rules SET project_id = $3, suite_id = $4, name = $5, channel = $6, target = $7, send_when = $8, is_active = $9
       WHERE workspace_id = $1 AND id = $2 AND mock_id IS NULL RETURNING *`,
      [
        workspaceId,
        id,
        f.projectId,
        f.suiteId,
        f.name,
        f.target.channel,
        targetJson(f.target),
        f.when,
        f.isActive,
      ],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM notification_rules WHERE workspace_id = $1 AND id = $2 AND mock_id IS NULL',
      [workspaceId, id],
    );
    return rowCount === 1;
  }

  /** Active rules that cover a suite: its own, its project's, and the workspace's. */
  async matching(workspaceId: string, projectId: string, suiteId: string): Promise<NotificationRule[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM notification_rules WHERE workspace_id = $1 AND is_active AND mock_id IS NULL
         AND (project_id IS NULL OR project_id = $2) AND (suite_id IS NULL OR suite_id = $3) ORDER BY created_at, id`,
      [workspaceId, projectId, suiteId],
    );
    return rows.map(toRule);
  }
}

const toDelivery = (r: Row): NotificationDelivery => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  ruleId: (r.rule_id as string) ?? null,
  executionId: (r.execution_id as string) ?? null,
  channel: r.channel as NotificationDelivery['channel'],
  eventType: String(r.event_type),
  status: r.status as NotificationDelivery['status'],
  attempts: num(r.attempts),
  maxAttempts: num(r.max_attempts),
  nextAttemptAt: iso(r.next_attempt_at),
  lastStatus: r.last_status === null ? null : num(r.last_status),
  lastError: (r.last_error as string) ?? null,
  createdAt: iso(r.created_at),
  deliveredAt: isoOrNull(r.delivered_at),
});

export interface DueDelivery {
  delivery: NotificationDelivery;
  payload: Record<string, unknown>;
  /** Null when the rule was deleted meanwhile. */
  target: NotificationTarget | null;
}

export class DeliveryRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Plans a delivery once per rule, execution and event (a replayed event plans nothing). Returns its id, or null when it existed. */
  async plan(d: {
    workspaceId: string;
    ruleId: string;
    executionId: string | null;
    channel: string;
    eventType: string;
    payload: unknown;
    maxAttempts: number;
  }): Promise<string | null> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO notification_deliveries (workspace_id, rule_id, execution_id, channel, event_type, payload, max_attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (rule_id, execution_id, event_type) DO NOTHING RETURNING id`,
      [
        d.workspaceId,
        d.ruleId,
        d.executionId,
        d.channel,
        d.eventType,
        JSON.stringify(d.payload),
        d.maxAttempts,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Claims a delivery that is due (or the one named) for one attempt: locked so no other
   * notifier attempts it at once, and pushed past `leaseMs` so a crash mid-attempt retries it later.
   */
  async claim(opts: { id?: string; leaseMs: number }): Promise<DueDelivery | null> {
    const { rows } = await this.db.query(
      `UPDATE notification_deliveries d SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
       FROM (SELECT id FROM notification_deliveries
             WHERE status IN ('pending', 'retrying') AND ($1::uuid IS NOT NULL AND id = $1 OR $1::uuid IS NULL AND next_attempt_at <= now())
             ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id
       RETURNING d.*, (SELECT row_to_json(r) FROM notification_rules r WHERE r.id = d.rule_id) AS rule`,
      [opts.id ?? null, opts.leaseMs],
    );
    if (!rows[0]) return null;
    const rule = rows[0].rule as { channel: string; target: object } | null;
    return {
      delivery: toDelivery(rows[0]),
      payload: rows[0].payload as Record<string, unknown>,
      target: rule ? ({ ...rule.target, channel: rule.channel } as NotificationTarget) : null,
    };
  }

  /** Records an attempt; a failure is retried at `retryAt`, or ends the delivery as failed past its attempts. */
  async recordAttempt(
    id: string,
    a: {
      success: boolean;
      status: number | null;
      body: string | null;
      durationMs: number;
      error: string | null;
    },
    retryAt: Date | null,
  ): Promise<NotificationDelivery> {
    const { rows } = await this.db.query(
      `WITH attempt AS (
         INSERT INTO notification_attempts (delivery_id, attempt_number, success, response_status, response_body, duration_ms, error_message)
         SELECT id, attempts + 1, $2, $3, $4, $5, $6 FROM notification_deliveries WHERE id = $1 RETURNING attempt_number)
       UPDATE notification_deliveries SET attempts = (SELECT attempt_number FROM attempt), last_status = $3, last_error = $6,
         status = CASE WHEN $2 THEN 'delivered' WHEN $7::timestamptz IS NULL OR attempts + 1 >= max_attempts THEN 'failed' ELSE 'retrying' END,
         delivered_at = CASE WHEN $2 THEN now() ELSE delivered_at END,
         next_attempt_at = coalesce($7::timestamptz, next_attempt_at)
       WHERE id = $1 RETURNING *`,
      [id, a.success, a.status, a.body, a.durationMs, a.error, retryAt],
    );
    return toDelivery(rows[0]);
  }

  async get(workspaceId: string, id: string): Promise<NotificationDelivery | null> {
    const { rows } = await this.db.query(
      'SELECT * FROM notification_deliveries WHERE workspace_id = $1 AND id = $2',
      [workspaceId, id],
    );
    if (!rows[0]) return null;
    const attempts = await this.db.query(
      'SELECT * FROM notification_attempts WHERE delivery_id = $1 ORDER BY attempt_number',
      [id],
    );
    return {
      ...toDelivery(rows[0]),
      history: attempts.rows.map((r): DeliveryAttempt => ({
        attempt: num(r.attempt_number),
        success: Boolean(r.success),
        responseStatus: r.response_status === null ? null : num(r.response_status),
        responseBody: (r.response_body as string) ?? null,
        durationMs: num(r.duration_ms),
        error: (r.error_message as string) ?? null,
        at: iso(r.attempted_at),
      })),
    };
  }

  async list(
    workspaceId: string,
    filter: { status?: string; executionId?: string; ruleId?: string; channel?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<NotificationDelivery>> {
    const where = new Where().equals({
      workspace_id: workspaceId,
      status: filter.status,
      execution_id: filter.executionId,
      rule_id: filter.ruleId,
      channel: filter.channel,
    });
    return selectPage(
      this.db,
      { select: '*', from: 'notification_deliveries', where, orderBy: 'created_at DESC, id' },
      page,
      toDelivery,
    );
  }

  /** Queues a failed delivery again for `attempts` more tries, now. */
  async retry(workspaceId: string, id: string): Promise<NotificationDelivery | null> {
    const { rows } = await this.db.query(
      `UPDATE notification_deliveries SET status = 'retrying', next_attempt_at = now(), max_attempts = attempts + 1
       WHERE workspace_id = $1 AND id = $2 AND status = 'failed' RETURNING *`,
      [workspaceId, id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }
}
