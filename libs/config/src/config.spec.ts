import { ConfigError, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('picks every embedded adapter when no URL is given', () => {
    const c = loadConfig({ VERDICT_DATA_DIR: '/tmp/v' });
    expect(c.database).toEqual({ adapter: 'pglite', dataDir: '/tmp/v/pg' });
    expect(c.bus.adapter).toBe('in-process');
    expect(c.redis.adapter).toBe('in-process');
    expect(c.docstore.adapter).toBe('sql');
    expect(c.metrics.adapter).toBe('sql');
  });

  it('picks each real adapter from its URL, one port at a time', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/verdict', REDIS_URL: 'redis://r:6379' });
    expect(c.database).toMatchObject({
      adapter: 'postgres',
      url: 'postgres://u@db:5432/verdict',
      poolMax: 10,
    });
    expect(c.redis).toEqual({ adapter: 'redis', url: 'redis://r:6379', prefix: '' });
    expect(c.bus.adapter).toBe('in-process');
  });

  it('names the variable and what it expects when a value is invalid', () => {
    let err: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'PORT']);
    expect((err as Error).message).toMatch(
      /DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\/ \(got "mysql:\/\/x"\)/,
    );
    expect((err as Error).message).toContain('PORT: expected a whole number from 0 to 65535 (got "eighty")');
  });

  it('requires org, bucket and token with INFLUX_URL', () => {
    expect(() => loadConfig({ INFLUX_URL: 'http://influx:8086', INFLUX_ORG: 'o' })).toThrow(
      /INFLUX_BUCKET.*\n.*INFLUX_TOKEN/,
    );
  });

  it('never echoes a secret value', () => {
    expect(() => loadConfig({ VERDICT_ADMIN_PASSWORD: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ VERDICT_ADMIN_PASSWORD: 'short' });
    } catch (e) {
      expect((e as Error).message).not.toContain('short');
    }
  });

  it('parses retry delays and turns metrics off', () => {
    const c = loadConfig({ BUS_RETRY_DELAYS_MS: '10,20', METRICS_ENABLED: 'false' });
    expect(c.bus.retryDelaysMs).toEqual([10, 20]);
    expect(c.metrics.adapter).toBe('off');
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('amqp://guest:secret@h:5672')).toBe('amqp://guest:***@h:5672');
  });
});
