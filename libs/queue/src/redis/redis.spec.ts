import Redis from 'ioredis';
import {
  cacheContract,
  describeWithServer,
  jobQueueContract,
  lockContract,
  uniqueName,
} from '@verdict/testing';
import { RedisCache } from './redis-cache';
import { RedisJobQueue } from './redis-job-queue';
import { RedisLockManager } from './redis-lock-manager';

/** Deletes every key under a test's prefix. */
async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
}

describeWithServer('redis', 'Redis adapters', (url) => {
  jobQueueContract('redis', async () => {
    const redis = new Redis(url);
    const prefix = `${uniqueName('t')}:`;
    return {
      queue: new RedisJobQueue(redis, prefix),
      cleanup: async () => {
        await dropPrefix(redis, prefix);
        await redis.quit();
      },
    };
  });

  lockContract('redis', async () => {
    const a = new Redis(url);
    const b = new Redis(url);
    const prefix = `${uniqueName('t')}:`;
    const locks = new RedisLockManager(a, prefix, true);
    const peer = new RedisLockManager(b, prefix, true);
    return { locks, peer, cleanup: async () => void (await Promise.all([locks.close(), peer.close()])) };
  });

  cacheContract('redis', async () => {
    const redis = new Redis(url);
    const prefix = `${uniqueName('t')}:`;
    return { cache: new RedisCache(redis, prefix), cleanup: async () => void (await redis.quit()) };
  });

  it('uses the key names of the data model: queue:{pool}:{priority}, lease:{pool}, lock:{resource}', async () => {
    const redis = new Redis(url);
    const prefix = `${uniqueName('keys')}:`;
    const q = new RedisJobQueue(redis, prefix);
    await q.enqueue({
      pool: 'default',
      priority: 7,
      executionId: '00000000-0000-4000-8000-000000000001',
      payload: {},
    });
    expect(await redis.llen(`${prefix}queue:default:7`)).toBe(1);
    await q.lease('default', 'w', 1000);
    expect(await redis.zcard(`${prefix}lease:default`)).toBe(1);
    const locks = new RedisLockManager(redis, prefix);
    await locks.withLock('scheduler', async () =>
      expect(await redis.exists(`${prefix}lock:scheduler`)).toBe(1),
    );
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('hands a leader lock over when its holder dies without releasing', async () => {
    const prefix = `${uniqueName('t')}:`;
    const dying = new Redis(url);
    const a = new RedisLockManager(dying, prefix);
    const lostSeen: string[] = [];
    const held = await a.tryAcquire('scheduler', 1000, () => lostSeen.push('lost'));
    expect(held).not.toBeNull();
    dying.disconnect(); // the process is gone: no release, no more extensions
    const survivor = new Redis(url);
    const b = new RedisLockManager(survivor, prefix);
    const started = Date.now();
    let taken = null;
    while (!taken && Date.now() - started < 5000) {
      taken = await b.tryAcquire('scheduler', 1000);
      if (!taken) await new Promise((r) => setTimeout(r, 100));
    }
    expect(taken).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(2500);
    await taken!.release();
    await b.close();
    await held!.release();
    await survivor.quit();
  });
});
