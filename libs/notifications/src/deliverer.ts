import type { NotificationDelivery } from '@verdict/contracts';
import { DeliveryRepository, type SqlDatabase } from '@verdict/db';
import { DeliveryError, type Senders } from './senders';

export interface DelivererOptions {
  /** First retry delay; doubled each time, capped at maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs?: number;
  /** How long an attempt may take before another notifier may try the delivery again. */
  attemptLeaseMs?: number;
  /** Told of every attempt once it is recorded (logs, metrics). */
  onAttempt?: (delivery: NotificationDelivery, durationMs: number) => void;
}

/**
 * Attempts deliveries: claims one (locked, so one notifier tries it at a time), sends it, and
 * records the attempt with the answer. A failure is retried with exponential backoff until the
 * delivery's attempts run out; then it is failed, with every attempt kept for the API.
 */
export class Deliverer {
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    private readonly db: SqlDatabase,
    private readonly senders: Senders,
    private readonly opts: DelivererOptions,
  ) {}

  backoff(attempt: number): number {
    return Math.min(this.opts.maxBackoffMs ?? 600_000, this.opts.backoffMs * 2 ** (attempt - 1));
  }

  /** One attempt of the delivery named, or of the next due one. Null when none was claimable. */
  async attempt(id?: string): Promise<NotificationDelivery | null> {
    const repo = new DeliveryRepository(this.db);
    const due = await repo.claim({ id, leaseMs: this.opts.attemptLeaseMs ?? 60_000 });
    if (!due) return null;
    const started = Date.now();
    const n = due.delivery.attempts + 1;
    let result: { success: boolean; status: number | null; body: string | null; error: string | null };
    let retryAt: Date | null = null;
    try {
      if (!due.target) throw new DeliveryError('the notification rule was deleted');
      const out = await this.senders.send(due.target, due.payload, due.delivery.id);
      result = { success: true, status: out.status, body: out.body, error: null };
    } catch (error) {
      const e = error instanceof DeliveryError ? error : new DeliveryError((error as Error).message);
      result = { success: false, status: e.status, body: e.body, error: e.message };
      if (due.target) retryAt = new Date(Date.now() + this.backoff(n));
    }
    const recorded = await repo.recordAttempt(
      due.delivery.id,
      { ...result, durationMs: Date.now() - started },
      retryAt,
    );
    this.opts.onAttempt?.(recorded, Date.now() - started);
    return recorded;
  }

  /** Attempts due deliveries every intervalMs (retries, and any whose message was lost). */
  start(intervalMs: number): void {
    const tick = async () => {
      while (this.timer && (await this.attempt())) {
        /* drain what is due */
      }
    };
    this.timer = setInterval(() => {
      if (!this.polling) this.polling = tick().finally(() => (this.polling = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }
}
