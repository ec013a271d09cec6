import type { MessageBus } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { MockEvent, MockRequestLog } from '@verdict/contracts';
import { DeliveryRepository, MockRepository, type SqlDatabase } from '@verdict/db';

/** Requests listed in one request.matched delivery; a busier batch says how many there were. */
const MAX_REQUESTS_PER_DELIVERY = 100;

/**
 * Mock events to the mock's webhooks. A webhook is a notification rule of the mock, so each
 * event becomes a notification delivery: the notifier signs it, sends it, retries it with
 * backoff and records every attempt, exactly as it does for run notifications.
 */
export class MockEvents {
  constructor(
    private readonly deps: { db: SqlDatabase; bus: MessageBus; log: Logger },
    private readonly opts: { maxAttempts: number },
  ) {}

  async emit(
    mock: { id: string; name: string },
    event: MockEvent,
    data: Record<string, unknown>,
  ): Promise<number> {
    const hooks = await new MockRepository(this.deps.db).webhooksFor(mock.id, event);
    if (!hooks.length) return 0;
    const payload = {
      event: `mock.${event}`,
      mock: { id: mock.id, name: mock.name },
      occurredAt: new Date().toISOString(),
      data,
    };
    let planned = 0;
    for (const hook of hooks) {
      const id = await new DeliveryRepository(this.deps.db).plan({
        workspaceId: hook.workspaceId,
        ruleId: hook.id,
        executionId: null,
        channel: 'webhook',
        eventType: `mock.${event}`,
        payload,
        maxAttempts: this.opts.maxAttempts,
      });
      if (!id) continue;
      planned++;
      // A lost message is not lost work: the notifier's poller attempts every due delivery.
      await this.deps.bus
        .publish(
          'notify',
          {
            channel: 'webhook',
            type: `mock.${event}`,
            recipient: mock.name,
            subject: `mock ${mock.name}: ${event}`,
            body: '',
            executionId: null,
            metadata: { deliveryId: id, ruleId: hook.id },
          },
          { workspaceId: hook.workspaceId },
        )
        .catch((error) => this.deps.log.warn({ err: error, deliveryId: id }, 'notify message not published'));
    }
    return planned;
  }

  /** One request.matched delivery per mock and batch of the journal. */
  async requestsJournaled(entries: MockRequestLog[]): Promise<void> {
    const byMock = new Map<string, MockRequestLog[]>();
    for (const e of entries) {
      if (e.matched === 'none') continue;
      const list = byMock.get(e.mockId) ?? [];
      list.push(e);
      byMock.set(e.mockId, list);
    }
    for (const [mockId, list] of byMock)
      await this.emit({ id: mockId, name: list[0].mockName }, 'request.matched', {
        count: list.length,
        requests: list.slice(0, MAX_REQUESTS_PER_DELIVERY).map((e) => ({
          requestId: e.requestId,
          timestamp: e.timestamp,
          method: e.method,
          path: e.path,
          route: e.route,
          matched: e.matched,
          status: e.responseStatus,
          executionId: e.executionId,
        })),
      });
  }
}
