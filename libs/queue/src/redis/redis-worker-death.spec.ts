import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import Redis from 'ioredis';
import { describeWithServer, uniqueName } from '@verdict/testing';
import { RedisJobQueue } from './redis-job-queue';

describeWithServer('redis', 'Redis job queue when a worker dies', (url) => {
  it('brings a job back once the lease of a SIGKILLed worker process expires', async () => {
    const redis = new Redis(url);
    const prefix = `${uniqueName('death')}:`;
    const queue = new RedisJobQueue(redis, prefix);
    const job = await queue.enqueue({
      pool: 'default',
      priority: 5,
      executionId: crypto.randomUUID(),
      payload: { shard: 0 },
    });

    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures/lease-then-hang.ts'), url, prefix, '1500'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve) =>
      readline.createInterface({ input: child.stdout! }).once('line', resolve),
    );
    expect(JSON.parse(line)).toEqual({ jobId: job.id });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // Still leased by the dead process until the visibility timeout runs out.
    expect(await queue.lease('default', 'survivor', 10_000)).toBeNull();
    const started = Date.now();
    let lease = null;
    while (!lease && Date.now() - started < 5000) {
      lease = await queue.lease('default', 'survivor', 10_000);
      if (!lease) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lease?.job).toMatchObject({
      id: job.id,
      attempts: 1,
      lastError: 'lease expired',
      payload: { shard: 0 },
    });
    expect(await queue.ack(lease!)).toBe(true);

    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }, 30_000);
});
