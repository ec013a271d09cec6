import type { VerdictConfig } from '@verdict/config';
import type { SqlDatabase } from '@verdict/db';
import { InfluxMetricsWriter } from './influxdb/influx-metrics-writer';
import type { MetricsWriter } from './metrics-writer.port';
import { OffMetricsWriter } from './off/off-metrics-writer';
import { SqlMetricsWriter } from './sql/sql-metrics-writer';

export function createMetricsWriter(
  config: VerdictConfig['metrics'],
  db: SqlDatabase,
  onError?: (error: unknown, lost: number) => void,
): MetricsWriter {
  if (config.adapter === 'influxdb') return new InfluxMetricsWriter({ ...config, onError });
  if (config.adapter === 'sql') return new SqlMetricsWriter(db, { flushMs: config.flushMs, onError });
  return new OffMetricsWriter();
}
