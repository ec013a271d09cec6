import type { Logger } from '@verdict/config';
import type { MockRequestLog } from '@verdict/contracts';
import type { DocumentStore } from '@verdict/docstore';
import type { MetricsWriter } from '@verdict/metrics';

export interface JournalOptions {
  /** How often buffered requests are written. */
  flushMs: number;
  /** A batch this large is written at once, without waiting for the timer. */
  maxBatch?: number;
  /** Past this many waiting requests (a docstore down for long), new ones are counted and dropped. */
  maxBuffered?: number;
}

/**
 * The request journal: requests are recorded in memory after their answer is sent, and written
 * to the docstore's mock_request_logs in batches, off the request path. One `mock_requests`
 * point per mock, route and status is written per batch. Subscribers (webhooks) see each batch
 * once it is stored.
 */
export class MockJournal {
  private buffer: (() => MockRequestLog)[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private soon = false;
  /** Requests dropped because the buffer was full. */
  dropped = 0;
  written = 0;

  constructor(
    private readonly deps: {
      docstore: DocumentStore;
      metrics?: MetricsWriter;
      log: Logger;
      onWritten?: (entries: MockRequestLog[]) => Promise<void>;
    },
    private readonly opts: JournalOptions,
  ) {}

  /** Takes an entry to build when its batch is written (so building it costs the request nothing). */
  record(entry: () => MockRequestLog): void {
    if (this.buffer.length >= (this.opts.maxBuffered ?? 200_000)) {
      if (this.dropped++ % 10_000 === 0)
        this.deps.log.warn({ dropped: this.dropped }, 'mock journal buffer full; requests are not journaled');
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= (this.opts.maxBatch ?? 2000) && !this.soon) {
      this.soon = true;
      setImmediate(() => void this.flush());
    }
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything recorded so far; resolves once it is stored (or failed and was put back). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeAll());
    return this.flushing;
  }

  private async writeAll(): Promise<void> {
    this.soon = false;
    while (this.buffer.length) {
      const taken = this.buffer.splice(0, this.opts.maxBatch ?? 2000);
      const batch = taken.map((build) => build());
      try {
        await this.deps.docstore.appendMockRequests(batch);
      } catch (error) {
        // Put the batch back in front and try again at the next tick.
        this.buffer.unshift(...batch.map((e) => () => e));
        this.deps.log.error({ err: error, waiting: this.buffer.length }, 'could not write the mock journal');
        return;
      }
      this.written += batch.length;
      this.writeMetrics(batch);
      if (this.deps.onWritten)
        await this.deps
          .onWritten(batch)
          .catch((error) => this.deps.log.error({ err: error }, 'mock journal subscriber failed'));
    }
  }

  private writeMetrics(batch: MockRequestLog[]): void {
    if (!this.deps.metrics) return;
    const groups = new Map<string, { e: MockRequestLog; n: number; total: number; max: number }>();
    for (const e of batch) {
      const key = `${e.mockName}\u0000${e.route ?? ''}\u0000${e.responseStatus}`;
      const g = groups.get(key) ?? { e, n: 0, total: 0, max: 0 };
      g.n++;
      g.total += e.responseTimeMs;
      g.max = Math.max(g.max, e.responseTimeMs);
      groups.set(key, g);
    }
    const timestamp = new Date();
    for (const g of groups.values())
      this.deps.metrics.write({
        measurement: 'mock_requests',
        tags: { mock: g.e.mockName, route: g.e.route ?? 'unmatched', status: String(g.e.responseStatus) },
        fields: { count: g.n, avg_ms: g.total / g.n, max_ms: g.max },
        timestamp,
      });
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
