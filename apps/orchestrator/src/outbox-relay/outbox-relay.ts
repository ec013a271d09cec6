import type { MessageBus } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import { OutboxRepository, type SqlDatabase } from '@verdict/db';

export interface OutboxRelayOptions {
  /** How often to look for unpublished messages when idle. */
  intervalMs?: number;
  batchSize?: number;
}

/**
 * Publishes what the transactional outbox holds, oldest first. A message leaves the outbox only
 * after the broker confirmed it; when the broker is down the rows stay and go out once it is
 * back (at-least-once: consumers are idempotent by envelope id). Several relays can run at
 * once: each claims rows with FOR UPDATE SKIP LOCKED.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly bus: MessageBus,
    private readonly log: Logger,
    private readonly opts: OutboxRelayOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      const sent = await this.drain().catch((err) => {
        this.log.warn({ err: (err as Error).message }, 'outbox relay pass failed');
        return 0;
      });
      if (!this.stopped) this.timer = setTimeout(tick, sent > 0 ? 0 : (this.opts.intervalMs ?? 250));
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Wakes the relay now (after a write that queued a message) instead of at the next interval. */
  nudge(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.start();
  }

  /** One pass: publishes up to batchSize messages; returns how many went out. */
  drain(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const outbox = new OutboxRepository(tx);
      const entries = await outbox.pending(this.opts.batchSize ?? 100);
      const published: string[] = [];
      for (const entry of entries) {
        try {
          await this.bus.publishEnvelope(entry.envelope);
          published.push(entry.id);
        } catch (error) {
          await outbox.markFailed(entry.id, (error as Error).message);
          this.log.warn(
            {
              messageId: entry.id,
              type: entry.envelope.type,
              attempts: entry.attempts + 1,
              err: (error as Error).message,
            },
            'outbox message not published yet',
          );
          break; // keep order: later messages wait for this one
        }
      }
      await outbox.markPublished(published);
      return published.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
