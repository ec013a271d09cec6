import type { MetricPoint } from '@verdict/contracts';
import type { SqlDatabase } from '@verdict/db';
import { checkPoint, type MetricQuery, type MetricsWriter } from '../metrics-writer.port';
import { PointBuffer } from '../point-buffer';

/** The embedded metrics store: points in the SQL database (metric_points), so embedded mode still shows trends. */
export class SqlMetricsWriter implements MetricsWriter {
  readonly kind = 'sql' as const;
  private readonly buffer: PointBuffer;

  constructor(
    private readonly db: SqlDatabase,
    opts: { flushMs?: number; batchSize?: number; onError?: (error: unknown, lost: number) => void } = {},
  ) {
    this.buffer = new PointBuffer((batch) => this.insert(batch), {
      batchSize: opts.batchSize ?? 5000,
      flushMs: opts.flushMs ?? 1000,
      onError: opts.onError,
    });
  }

  write(point: MetricPoint): void {
    checkPoint(point);
    this.buffer.add(point);
  }

  flush(): Promise<void> {
    return this.buffer.flush();
  }

  private async insert(batch: MetricPoint[]): Promise<void> {
    await this.db.query(
      `INSERT INTO metric_points (measurement, tags, fields, ts)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::timestamptz[])`,
      [
        batch.map((p) => p.measurement),
        batch.map((p) => JSON.stringify(p.tags)),
        batch.map((p) => JSON.stringify(p.fields)),
        batch.map((p) => p.timestamp.toISOString()),
      ],
    );
  }

  async query(q: MetricQuery): Promise<MetricPoint[]> {
    const { rows } = await this.db.query<{
      measurement: string;
      tags: Record<string, string>;
      fields: MetricPoint['fields'];
      ts: Date | string;
    }>(
      `SELECT measurement, tags, fields, ts FROM metric_points
       WHERE measurement = $1 AND ts >= $2 AND ts < $3 AND tags @> $4::jsonb ORDER BY ts, id`,
      [q.measurement, q.from, q.to, JSON.stringify(q.tags ?? {})],
    );
    return rows.map((r) => ({
      measurement: r.measurement,
      tags: r.tags,
      fields: r.fields,
      timestamp: new Date(r.ts),
    }));
  }

  /** Deletes raw points older than `days` (retention.metrics.raw_days). */
  async purgeOlderThan(days: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM metric_points WHERE ts < now() - make_interval(days => $1::int)`,
      [days],
    );
    return rowCount;
  }

  close(): Promise<void> {
    return this.buffer.close();
  }
}
