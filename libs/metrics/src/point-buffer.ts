import type { MetricPoint } from '@verdict/contracts';

/** Collects points and hands them to `sink` in batches: when full, every flushMs, and on flush(). */
export class PointBuffer {
  private points: MetricPoint[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sink: (batch: MetricPoint[]) => Promise<void>,
    private readonly opts: {
      batchSize: number;
      flushMs: number;
      onError?: (error: unknown, lost: number) => void;
    },
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushMs);
    this.timer.unref();
  }

  add(point: MetricPoint): void {
    this.points.push(point);
    if (this.points.length >= this.opts.batchSize) void this.flush();
  }

  /** Writes what is buffered; batches go out one after the other, in order. */
  flush(): Promise<void> {
    const batch = this.points;
    this.points = [];
    this.inFlight = this.inFlight.then(async () => {
      if (!batch.length) return;
      try {
        await this.sink(batch);
      } catch (error) {
        this.opts.onError?.(error, batch.length);
      }
    });
    return this.inFlight;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
