import type Redis from 'ioredis';
import type { Cache } from '../cache.port';
import { queueKeys } from './queue-keys';

export class RedisCache implements Cache {
  private readonly keys: ReturnType<typeof queueKeys>;

  constructor(
    private readonly redis: Redis,
    prefix = '',
    private readonly ownsConnection = false,
  ) {
    this.keys = queueKeys(prefix);
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.keys.cache(key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.cache(key), JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keys.cache(key));
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const k = this.keys.cache(key);
    const [[, n]] = (await this.redis
      .multi()
      .incr(k)
      .pexpire(k, Math.max(1, Math.round(ttlMs)), 'NX')
      .exec()) as [[Error | null, number], [Error | null, number]];
    return n;
  }

  async ttl(key: string): Promise<number> {
    const ms = await this.redis.pttl(this.keys.cache(key));
    return ms < 0 ? -1 : ms;
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => undefined);
  }
}
