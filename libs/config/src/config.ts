import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    );
const int = (min: number, max: number) => {
  const expected = `a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
};
const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

/** Every environment variable Verdict reads, with what it expects. Nothing else reads process.env. */
const EnvSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
  LOG_LEVEL: optional(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])),
  VERDICT_DATA_DIR: optional(z.string().min(1)),
  HOST: optional(z.string().min(1)),
  PORT: optional(int(0, 65535)),
  SHUTDOWN_GRACE_MS: optional(int(0, 600_000)),
  VERDICT_WORKERS: optional(int(0, 64)),
  WORKER_NAME: optional(z.string().min(1).max(255)),
  WORKER_API_KEY: optional(z.string().min(16, 'at least 16 characters')),
  WORKER_LEASE_MS: optional(int(1000, 3_600_000)),
  WORKER_HEARTBEAT_MS: optional(int(100, 600_000)),
  FLEET_OFFLINE_AFTER_MS: optional(int(500, 3_600_000)),
  AMQP_NAMESPACE: optional(
    z.string().regex(/^[a-z0-9][a-z0-9._-]*\.$/, 'a prefix ending in ".", e.g. "staging."'),
  ),
  REDIS_PREFIX: optional(
    z.string().regex(/^[a-z0-9][a-z0-9._-]*:$/, 'a prefix ending in ":", e.g. "staging:"'),
  ),
  VERDICT_POOL: optional(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_"')),

  DATABASE_URL: optional(url(['postgres', 'postgresql'])),
  DATABASE_SSL: optional(z.enum(['disable', 'require', 'verify-full'])),
  DATABASE_POOL_MAX: optional(int(1, 500)),
  DATABASE_CONNECT_RETRIES: optional(int(0, 100)),
  DATABASE_CONNECT_TIMEOUT_MS: optional(int(100, 600_000)),

  AMQP_URL: optional(url(['amqp', 'amqps'])),
  AMQP_PREFETCH: optional(int(1, 10_000)),
  BUS_MAX_RETRIES: optional(int(0, 100)),
  BUS_RETRY_DELAYS_MS: optional(
    z
      .string()
      .regex(/^\d+(,\d+)*$/, 'comma-separated delays in milliseconds, e.g. "1000,5000,30000"')
      .transform((s) => s.split(',').map(Number)),
  ),

  REDIS_URL: optional(url(['redis', 'rediss'])),
  MONGO_URL: optional(url(['mongodb', 'mongodb+srv'])),
  MONGO_DB: optional(z.string().min(1).max(64)),

  INFLUX_URL: optional(url(['http', 'https'])),
  INFLUX_ORG: optional(z.string().min(1)),
  INFLUX_BUCKET: optional(z.string().min(1)),
  INFLUX_TOKEN: optional(z.string().min(1)),
  METRICS_ENABLED: optional(bool),
  METRICS_FLUSH_MS: optional(int(10, 600_000)),

  LOG_RETENTION_DAYS: optional(int(1, 3650)),
  REPORT_RETENTION_DAYS: optional(int(1, 3650)),
  MOCK_LOG_RETENTION_DAYS: optional(int(1, 3650)),

  RATE_LIMIT_LOGIN_PER_MIN: optional(int(1, 100_000)),
  RATE_LIMIT_HOOKS_PER_MIN: optional(int(1, 1_000_000)),

  MOCK_PORT: optional(int(0, 65535)),
  MOCK_JOURNAL_FLUSH_MS: optional(int(10, 60_000)),

  VERDICT_PUBLIC_URL: optional(url(['http', 'https'])),
  SMTP_URL: optional(url(['smtp', 'smtps'])),
  SMTP_FROM: optional(z.string().min(3).max(255)),
  NOTIFY_MAX_ATTEMPTS: optional(int(1, 50)),
  NOTIFY_BACKOFF_MS: optional(int(10, 3_600_000)),

  VERDICT_ADMIN_USERNAME: optional(z.string().min(3).max(64)),
  VERDICT_ADMIN_EMAIL: optional(z.email()),
  VERDICT_ADMIN_PASSWORD: optional(z.string().min(12, 'at least 12 characters')),
});

export type AdapterKind = 'real' | 'embedded';

export interface VerdictConfig {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  dataDir: string;
  http: { host: string; port: number };
  shutdownGraceMs: number;
  /** Worker agents the all-in-one process runs, the pool they serve, and their timings. */
  workers: {
    count: number;
    pool: string;
    name?: string;
    apiKey?: string;
    leaseMs: number;
    heartbeatMs: number;
  };
  /** A node whose heartbeats stop for this long goes OFFLINE and its jobs go back on the queue. */
  fleet: { offlineAfterMs: number };
  database:
    | {
        adapter: 'postgres';
        url: string;
        ssl: 'disable' | 'require' | 'verify-full';
        poolMax: number;
        connectRetries: number;
        connectTimeoutMs: number;
      }
    | { adapter: 'pglite'; dataDir: string };
  bus:
    | {
        adapter: 'rabbitmq';
        url: string;
        namespace: string;
        prefetch: number;
        maxRetries: number;
        retryDelaysMs: number[];
      }
    | { adapter: 'in-process'; prefetch: number; maxRetries: number; retryDelaysMs: number[] };
  redis: { adapter: 'redis'; url: string; prefix: string } | { adapter: 'in-process' };
  docstore: { adapter: 'mongodb'; url: string; dbName: string } | { adapter: 'sql' };
  docRetention: { logDays: number; reportDays: number; mockRequestDays: number };
  /** Login attempts per account per minute (three times as many per client address); CI webhook deliveries per address per minute. */
  rateLimits: { loginPerMinute: number; hooksPerMinute: number };
  /** The stub manager: the port of its admin API and mock traffic, and how often the journal is written. */
  mockServer: { port: number; journalFlushMs: number };
  notifications: {
    /** Where people reach this server (links in notifications to reports). */
    publicUrl: string;
    smtp: { url: string; from: string } | null;
    maxAttempts: number;
    /** First retry delay; each next one doubles (capped at 10 minutes). */
    backoffMs: number;
  };
  metrics:
    | { adapter: 'influxdb'; url: string; org: string; bucket: string; token: string; flushMs: number }
    | { adapter: 'sql'; flushMs: number }
    | { adapter: 'off' };
  admin: { username: string; email: string; password?: string };
}

/** Thrown when the environment is invalid; names each variable and what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; expected: string; got?: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems
          .map(
            (p) => `  ${p.variable}: expected ${p.expected}${p.got !== undefined ? ` (got "${p.got}")` : ''}`,
          )
          .join('\n'),
    );
  }
}

const SECRET = /PASSWORD|TOKEN|SECRET/;

export function loadConfig(env: Record<string, string | undefined> = process.env): VerdictConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const variable = String(i.path[0]);
        const raw = env[variable];
        return {
          variable,
          expected: i.message,
          got: raw === undefined || SECRET.test(variable) ? undefined : raw,
        };
      }),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; expected: string }[] = [];
  if (e.INFLUX_URL) {
    for (const v of ['INFLUX_ORG', 'INFLUX_BUCKET', 'INFLUX_TOKEN'] as const) {
      if (!e[v]) problems.push({ variable: v, expected: 'a value whenever INFLUX_URL is set' });
    }
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(e.VERDICT_DATA_DIR ?? 'data');
  const busCommon = {
    prefetch: e.AMQP_PREFETCH ?? 32,
    maxRetries: e.BUS_MAX_RETRIES ?? 3,
    retryDelaysMs: e.BUS_RETRY_DELAYS_MS ?? [1000, 5000, 30000],
  };
  const flushMs = e.METRICS_FLUSH_MS ?? 1000;
  const host = e.HOST ?? '127.0.0.1';
  const port = e.PORT ?? 8080;
  return {
    env: e.NODE_ENV ?? 'development',
    logLevel: e.LOG_LEVEL ?? 'info',
    dataDir,
    http: { host, port },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS ?? 30_000,
    workers: {
      count: e.VERDICT_WORKERS ?? 2,
      pool: e.VERDICT_POOL ?? 'default',
      name: e.WORKER_NAME,
      apiKey: e.WORKER_API_KEY,
      leaseMs: e.WORKER_LEASE_MS ?? 30_000,
      heartbeatMs: e.WORKER_HEARTBEAT_MS ?? 3000,
    },
    fleet: { offlineAfterMs: e.FLEET_OFFLINE_AFTER_MS ?? 15_000 },
    database: e.DATABASE_URL
      ? {
          adapter: 'postgres',
          url: e.DATABASE_URL,
          ssl: e.DATABASE_SSL ?? 'disable',
          poolMax: e.DATABASE_POOL_MAX ?? 10,
          connectRetries: e.DATABASE_CONNECT_RETRIES ?? 6,
          connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS ?? 5000,
        }
      : { adapter: 'pglite', dataDir: path.join(dataDir, 'pg') },
    bus: e.AMQP_URL
      ? { adapter: 'rabbitmq', url: e.AMQP_URL, namespace: e.AMQP_NAMESPACE ?? '', ...busCommon }
      : { adapter: 'in-process', ...busCommon },
    redis: e.REDIS_URL
      ? { adapter: 'redis', url: e.REDIS_URL, prefix: e.REDIS_PREFIX ?? '' }
      : { adapter: 'in-process' },
    docstore: e.MONGO_URL
      ? { adapter: 'mongodb', url: e.MONGO_URL, dbName: e.MONGO_DB ?? 'verdict' }
      : { adapter: 'sql' },
    docRetention: {
      logDays: e.LOG_RETENTION_DAYS ?? 30,
      reportDays: e.REPORT_RETENTION_DAYS ?? 365,
      mockRequestDays: e.MOCK_LOG_RETENTION_DAYS ?? 7,
    },
    rateLimits: {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MIN ?? 10,
      hooksPerMinute: e.RATE_LIMIT_HOOKS_PER_MIN ?? 120,
    },
    mockServer: { port: e.MOCK_PORT ?? 8081, journalFlushMs: e.MOCK_JOURNAL_FLUSH_MS ?? 200 },
    notifications: {
      publicUrl: (
        e.VERDICT_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
      ).replace(/\/+$/, ''),
      smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? 'Verdict <verdict@localhost>' } : null,
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS ?? 8,
      backoffMs: e.NOTIFY_BACKOFF_MS ?? 2000,
    },
    metrics:
      e.METRICS_ENABLED === false
        ? { adapter: 'off' }
        : e.INFLUX_URL
          ? {
              adapter: 'influxdb',
              url: e.INFLUX_URL,
              org: e.INFLUX_ORG!,
              bucket: e.INFLUX_BUCKET!,
              token: e.INFLUX_TOKEN!,
              flushMs,
            }
          : { adapter: 'sql', flushMs },
    admin: {
      username: e.VERDICT_ADMIN_USERNAME ?? 'admin',
      email: e.VERDICT_ADMIN_EMAIL ?? 'admin@verdict.local',
      password: e.VERDICT_ADMIN_PASSWORD,
    },
  };
}

/**
 * The environment a test command starts from: the process's own, less Verdict's settings and
 * secrets (a suite's command has no business with DATABASE_URL or the admin password).
 */
export function childProcessEnv(
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (
      v !== undefined &&
      !CONFIG_VARIABLES.includes(k) &&
      !k.startsWith('VERDICT_TEST_') &&
      k !== 'NODE_OPTIONS'
    )
      out[k] = v;
  }
  return out;
}

/** Names of every variable loadConfig reads (deployment manifests are checked against it). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

/** Masks credentials in a URL for logs and error messages. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}

/** What the verdict CLI reads when it talks to a server: not the server's own settings. */
const CliEnvSchema = z.object({
  VERDICT_URL: optional(url(['http', 'https'])),
  VERDICT_MOCK_URL: optional(url(['http', 'https'])),
  /** A session token or API key; else the one `verdict login` saved for the server. */
  VERDICT_API_KEY: optional(z.string().min(10)),
  /** Where `verdict login` keeps credentials (default ~/.config/verdict). */
  VERDICT_CONFIG_DIR: optional(z.string().min(1)),
  /** Set by a worker for the test command it runs. */
  VERDICT_EXECUTION_ID: optional(z.string().min(1).max(200)),
  VERDICT_WORKSPACE: optional(
    z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a workspace slug such as "default"'),
  ),
});
export const CLI_VARIABLES = Object.keys(CliEnvSchema.shape);

export interface CliConfig {
  /** The server's base URL (its API is under /api/v1). */
  url: string;
  /** The stub manager's base URL (its admin API is under /api/v1, mocks under /mocks). */
  mockUrl: string;
  workspace?: string;
  /** The execution a test command runs for (a worker sets it). */
  executionId?: string;
  apiKey?: string;
  /** The file `verdict login` writes: credentials per server URL. */
  credentialsFile: string;
}

export function loadCliConfig(env: Record<string, string | undefined> = process.env): CliConfig {
  const parsed = CliEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        variable: String(i.path[0]),
        expected: i.message,
        got: env[String(i.path[0])],
      })),
    );
  return {
    url: (parsed.data.VERDICT_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    mockUrl: (parsed.data.VERDICT_MOCK_URL ?? 'http://127.0.0.1:8081').replace(/\/+$/, ''),
    workspace: parsed.data.VERDICT_WORKSPACE,
    executionId: parsed.data.VERDICT_EXECUTION_ID,
    apiKey: parsed.data.VERDICT_API_KEY,
    credentialsFile: path.join(
      parsed.data.VERDICT_CONFIG_DIR ??
        path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'verdict'),
      'credentials.json',
    ),
  };
}
