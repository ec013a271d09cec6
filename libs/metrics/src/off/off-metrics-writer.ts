import type { MetricPoint } from '@verdict/contracts';
import { checkPoint, type MetricsWriter } from '../metrics-writer.port';

/** METRICS_ENABLED=false: points are checked, then dropped. */
export class OffMetricsWriter implements MetricsWriter {
  readonly kind = 'off' as const;
  write(point: MetricPoint): void {
    checkPoint(point);
  }
  async flush(): Promise<void> {}
  async query(): Promise<MetricPoint[]> {
    return [];
  }
  async close(): Promise<void> {}
}
