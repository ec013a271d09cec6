import { InfluxDB, Point, type QueryApi, type WriteApi } from '@influxdata/influxdb-client';
import type { MetricPoint } from '@verdict/contracts';
import { checkPoint, type MetricQuery, type MetricsWriter } from '../metrics-writer.port';

export interface InfluxOptions {
  url: string;
  org: string;
  bucket: string;
  token: string;
  flushMs?: number;
  batchSize?: number;
  onError?: (error: unknown, lost: number) => void;
}

const fluxString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const INTERNAL = new Set(['result', 'table', '_start', '_stop', '_time', '_value', '_field', '_measurement']);

/** InfluxDB 2.x through @influxdata/influxdb-client: batched line-protocol writes, Flux queries. */
export class InfluxMetricsWriter implements MetricsWriter {
  readonly kind = 'influxdb' as const;
  private readonly writeApi: WriteApi;
  private readonly queryApi: QueryApi;

  constructor(private readonly opts: InfluxOptions) {
    const client = new InfluxDB({ url: opts.url, token: opts.token });
    this.writeApi = client.getWriteApi(opts.org, opts.bucket, 'ms', {
      batchSize: opts.batchSize ?? 5000,
      flushInterval: opts.flushMs ?? 1000,
      maxRetries: 5,
      writeFailed: (error, lines) => {
        opts.onError?.(error, lines.length);
      },
    });
    this.queryApi = client.getQueryApi(opts.org);
  }

  write(p: MetricPoint): void {
    checkPoint(p);
    const point = new Point(p.measurement).timestamp(p.timestamp);
    for (const [k, v] of Object.entries(p.tags)) point.tag(k, v);
    for (const [k, v] of Object.entries(p.fields)) {
      if (typeof v === 'number') point.floatField(k, v);
      else if (typeof v === 'boolean') point.booleanField(k, v);
      else point.stringField(k, v);
    }
    this.writeApi.writePoint(point);
  }

  flush(): Promise<void> {
    return this.writeApi.flush();
  }

  async query(q: MetricQuery): Promise<MetricPoint[]> {
    const tagFilter = Object.entries(q.tags ?? {})
      .map(([k, v]) => ` and r[${fluxString(k)}] == ${fluxString(v)}`)
      .join('');
    const flux = `from(bucket: ${fluxString(this.opts.bucket)})
      |> range(start: ${q.from.toISOString()}, stop: ${q.to.toISOString()})
      |> filter(fn: (r) => r._measurement == ${fluxString(q.measurement)}${tagFilter})`;
    const byKey = new Map<string, MetricPoint>();
    for await (const { values, tableMeta } of this.queryApi.iterateRows(flux)) {
      const row = tableMeta.toObject(values) as Record<string, unknown>;
      const tags: Record<string, string> = {};
      for (const [k, v] of Object.entries(row)) if (!INTERNAL.has(k) && typeof v === 'string') tags[k] = v;
      const time = String(row._time);
      const key = `${time}|${JSON.stringify(Object.entries(tags).sort())}`;
      let point = byKey.get(key);
      if (!point)
        byKey.set(key, (point = { measurement: q.measurement, tags, fields: {}, timestamp: new Date(time) }));
      point.fields[String(row._field)] = row._value as number | boolean | string;
    }
    return [...byKey.values()].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }

  async close(): Promise<void> {
    await this.writeApi.close();
  }
}
