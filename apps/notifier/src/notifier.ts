import type { MessageBus, Subscription } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { Envelope } from '@verdict/contracts';
import type { SqlDatabase } from '@verdict/db';
import type { MetricsWriter } from '@verdict/metrics';
import { createSenders, Deliverer, type Senders } from '@verdict/notifications';

export interface NotifierOptions {
  smtp: { url: string; from: string } | null;
  backoffMs: number;
  /** How often due retries are looked for. */
  pollMs?: number;
  /** Instead of the real channels (tests of the service's wiring). */
  senders?: Senders;
}

/**
 * notify.{channel} → one attempt of the delivery the message names, at once; a poller attempts
 * the deliveries whose retry is due (and any whose message never came). Every attempt is
 * recorded on the delivery.
 */
export async function startNotifier(
  deps: { db: SqlDatabase; bus: MessageBus; log: Logger; metrics?: MetricsWriter },
  opts: NotifierOptions,
): Promise<{ deliverer: Deliverer; stop(): Promise<void> }> {
  const log = deps.log.child({ service: 'notifier' });
  const senders = opts.senders ?? createSenders({ smtp: opts.smtp });
  const deliverer = new Deliverer(deps.db, senders, {
    backoffMs: opts.backoffMs,
    onAttempt: (d, durationMs) => {
      const fields = {
        deliveryId: d.id,
        correlationId: d.executionId,
        channel: d.channel,
        attempt: d.attempts,
      };
      if (d.status === 'delivered') log.info(fields, 'notification delivered');
      else if (d.status === 'failed')
        log.error({ ...fields, err: d.lastError }, 'notification failed: no attempts left');
      else
        log.warn(
          { ...fields, err: d.lastError, next: d.nextAttemptAt },
          'notification attempt failed: will retry',
        );
      deps.metrics?.write({
        measurement: 'notification_delivery',
        tags: { channel: d.channel, event: d.eventType, outcome: d.status },
        fields: { success: d.status === 'delivered' ? 1 : 0, attempt: d.attempts, duration_ms: durationMs },
        timestamp: new Date(),
      });
    },
  });
  const subs: Subscription[] = [
    await deps.bus.subscribe({
      queue: 'notifier.deliveries',
      bindings: [{ exchange: 'notifications', pattern: 'notify.*' }],
      prefetch: 8,
      handler: async (envelope: Envelope) => {
        const id = (envelope.payload as { metadata: { deliveryId?: string } }).metadata.deliveryId;
        if (id) await deliverer.attempt(id);
      },
    }),
  ];
  deliverer.start(opts.pollMs ?? 1000);
  return {
    deliverer,
    stop: async () => {
      await Promise.all(subs.map((s) => s.cancel()));
      await deliverer.stop();
      senders.close();
    },
  };
}
