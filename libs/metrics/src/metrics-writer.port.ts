import type { MetricPoint } from '@verdict/contracts';

export interface MetricQuery {
  measurement: string;
  from: Date;
  to: Date;
  tags?: Record<string, string>;
}

/**
 * Time-series points (InfluxDB line-protocol shape). write() buffers and never blocks the caller;
 * points are flushed in batches, on an interval, and on close().
 */
export interface MetricsWriter {
  readonly kind: 'influxdb' | 'sql' | 'off';
  write(point: MetricPoint): void;
  flush(): Promise<void>;
  /** Points of a measurement in a time range, oldest first (for trends and tests). */
  query(q: MetricQuery): Promise<MetricPoint[]>;
  close(): Promise<void>;
}

export class InvalidMetricError extends Error {
  override readonly name = 'InvalidMetricError';
}

const NAME = /^[a-z_][a-z0-9_]*$/;
export function checkPoint(p: MetricPoint): void {
  if (!NAME.test(p.measurement))
    throw new InvalidMetricError(`measurement "${p.measurement}" must be snake_case`);
  if (Object.keys(p.fields).length === 0)
    throw new InvalidMetricError(`a ${p.measurement} point needs at least one field`);
  for (const [k, v] of Object.entries(p.fields)) {
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new InvalidMetricError(`field ${k} of ${p.measurement} is not a finite number`);
  }
  if (!(p.timestamp instanceof Date) || Number.isNaN(p.timestamp.getTime())) {
    throw new InvalidMetricError(`a ${p.measurement} point needs a valid timestamp`);
  }
}
