import Redis from 'ioredis';
import type { VerdictConfig } from '@verdict/config';
import type { Cache } from './cache.port';
import { InProcessCache } from './in-process/in-process-cache';
import { InProcessJobQueue } from './in-process/in-process-job-queue';
import { InProcessLockManager } from './in-process/in-process-lock-manager';
import type { JobQueue } from './job-queue.port';
import type { LockManager } from './lock-manager.port';
import { RedisCache } from './redis/redis-cache';
import { RedisJobQueue } from './redis/redis-job-queue';
import { RedisLockManager } from './redis/redis-lock-manager';

export interface Coordination {
  queue: JobQueue;
  locks: LockManager;
  cache: Cache;
  close(): Promise<void>;
}

/** Job queue, locks and cache on Redis when REDIS_URL is set, else in process. */
export async function createCoordination(config: VerdictConfig['redis']): Promise<Coordination> {
  if (config.adapter === 'redis') {
    const prefix = config.prefix;
    const redis = new Redis(config.url, {
      maxRetriesPerRequest: 3,
      enableAutoPipelining: true,
      lazyConnect: true,
    });
    await redis.connect();
    const queue = new RedisJobQueue(redis, prefix);
    const locks = new RedisLockManager(redis, prefix);
    const cache = new RedisCache(redis, prefix);
    return {
      queue,
      locks,
      cache,
      close: async () => {
        await locks.close();
        await redis.quit().catch(() => undefined);
      },
    };
  }
  const queue = new InProcessJobQueue();
  const locks = new InProcessLockManager();
  const cache = new InProcessCache();
  return { queue, locks, cache, close: async () => void (await Promise.all([locks.close(), cache.close()])) };
}
