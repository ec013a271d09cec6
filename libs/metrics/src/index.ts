export * from './metrics-writer.port';
export * from './point-buffer';
export * from './create-metrics-writer';
export { SqlMetricsWriter } from './sql/sql-metrics-writer';
export { InfluxMetricsWriter } from './influxdb/influx-metrics-writer';
export { OffMetricsWriter } from './off/off-metrics-writer';
