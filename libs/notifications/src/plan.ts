import {
  buildMessage,
  ReportExtra,
  type Envelope,
  type NotificationRule,
  type TestReport,
} from '@verdict/contracts';
import {
  DeliveryRepository,
  NotificationRuleRepository,
  OutboxRepository,
  type SqlExecutor,
} from '@verdict/db';
import { renderNotification, type NotificationEvent } from './content';

/** Whether a rule sends for this run, and as what event; null when it does not. */
export function eventFor(
  rule: Pick<NotificationRule, 'when'>,
  status: string,
  previousStatus: string | null,
): NotificationEvent | null {
  const failed = status === 'failed';
  if (rule.when === 'always') return 'execution.completed';
  if (rule.when === 'failure') return failed ? 'execution.completed' : null;
  if (previousStatus === null || status === 'cancelled' || previousStatus === 'cancelled') return null;
  const wasFailed = previousStatus === 'failed';
  return failed && !wasFailed ? 'execution.broken' : !failed && wasFailed ? 'execution.recovered' : null;
}

/**
 * The deliveries a report calls for: every active rule covering its suite, filtered by its
 * "when", each planned once (a replayed report plans nothing new) with its content rendered,
 * and a notify message in the outbox per delivery, all in the caller's transaction.
 */
export async function planNotifications(
  tx: SqlExecutor,
  report: TestReport,
  opts: { publicUrl: string; maxAttempts: number },
): Promise<{ deliveryIds: string[]; messages: Envelope[] }> {
  const x = ReportExtra.parse(report.extra);
  const suite = await tx.query<{ workspace_id: string; project_id: string }>(
    'SELECT workspace_id, project_id FROM test_suites WHERE id = $1',
    [x.execution.suiteId],
  );
  if (!suite.rows[0]) return { deliveryIds: [], messages: [] };
  const workspaceId = suite.rows[0].workspace_id;
  const rules = await new NotificationRuleRepository(tx).matching(
    workspaceId,
    suite.rows[0].project_id,
    x.execution.suiteId,
  );
  if (!rules.length) return { deliveryIds: [], messages: [] };
  let previousStatus: string | null = null;
  if (x.previousExecutionId) {
    const { rows } = await tx.query<{ status: string }>('SELECT status FROM test_executions WHERE id = $1', [
      x.previousExecutionId,
    ]);
    previousStatus = rows[0]?.status ?? null;
  }
  const deliveries = new DeliveryRepository(tx);
  const outbox = new OutboxRepository(tx);
  const deliveryIds: string[] = [];
  const messages: Envelope[] = [];
  for (const rule of rules) {
    const event = eventFor(rule, x.execution.status, previousStatus);
    if (!event) continue;
    const content = renderNotification(report, event, opts.publicUrl);
    const payload = content[rule.target.channel];
    const id = await deliveries.plan({
      workspaceId,
      ruleId: rule.id,
      executionId: report.executionId,
      channel: rule.target.channel,
      eventType: event,
      payload,
      maxAttempts: opts.maxAttempts,
    });
    if (!id) continue;
    const message = buildMessage(
      'notify',
      {
        channel: rule.target.channel,
        type: event,
        recipient: rule.name,
        subject: content.email.subject,
        body: content.email.text,
        executionId: report.executionId,
        metadata: { deliveryId: id, ruleId: rule.id },
      },
      { workspaceId, correlationId: report.executionId },
    ).envelope;
    await outbox.add(message);
    deliveryIds.push(id);
    messages.push(message);
  }
  return { deliveryIds, messages };
}
