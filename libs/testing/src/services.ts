import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Where the real servers for contract runs are. CI exports the URLs of the servers it has;
 * the Jest global setup also finds servers answering on their default local ports.
 * A suite whose server is missing is skipped with the reason in its name, never passed.
 */
export const SERVER_ENV = {
  postgres: 'VERDICT_TEST_DATABASE_URL',
  redis: 'VERDICT_TEST_REDIS_URL',
  rabbitmq: 'VERDICT_TEST_AMQP_URL',
  mongodb: 'VERDICT_TEST_MONGO_URL',
  influxdb: 'VERDICT_TEST_INFLUX_URL',
} as const;
export type ServerName = keyof typeof SERVER_ENV;

/** InfluxDB needs org, bucket and token beside its URL. */
export function influxSettings(): { url: string; org: string; bucket: string; token: string } | undefined {
  const url = serverUrl('influxdb');
  const org = process.env.VERDICT_TEST_INFLUX_ORG;
  const bucket = process.env.VERDICT_TEST_INFLUX_BUCKET;
  const token = process.env.VERDICT_TEST_INFLUX_TOKEN;
  return url && org && bucket && token ? { url, org, bucket, token } : undefined;
}

export function serverUrl(name: ServerName): string | undefined {
  const v = process.env[SERVER_ENV[name]];
  return v && v.trim() ? v.trim() : undefined;
}

export function skipReason(name: ServerName): string {
  return `${SERVER_ENV[name]} not set, nothing answering on the default port${dockerAvailable() ? '' : ', and no Docker engine'}`;
}

let docker: boolean | undefined;
/** True when a Docker engine answers (testcontainers can start servers). */
export function dockerAvailable(): boolean {
  if (docker === undefined) {
    const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      timeout: 5000,
      encoding: 'utf8',
    });
    docker = r.status === 0 && r.stdout.trim().length > 0;
  }
  return docker;
}

/** describe() when the server is there, else describe.skip() naming why: skipped, never passed. */
export function describeWithServer(name: ServerName, title: string, body: (url: string) => void): void {
  const url = serverUrl(name);
  if (url) describe(title, () => body(url));
  else describe.skip(`${title} [skipped: ${skipReason(name)}]`, () => body('unavailable'));
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
