import type Redis from 'ioredis';
// redlock 5's package.json "exports" has no "types" condition, so TypeScript cannot find its
// declarations through the package name; they are taken from the file, the code from require().
import type RedlockClass from '../../../../node_modules/redlock/dist/index';
import type { Lock } from '../../../../node_modules/redlock/dist/index';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Redlock = (require('redlock') as { default: typeof RedlockClass }).default;
import { LockUnavailableError, type HeldLock, type LockManager } from '../lock-manager.port';
import { queueKeys } from './queue-keys';

/** Locks with redlock over ioredis: lock:{resource}, extended automatically while held. */
export class RedisLockManager implements LockManager {
  private readonly keys: ReturnType<typeof queueKeys>;
  private readonly redlock: RedlockClass;
  private readonly held = new Set<{ release(): Promise<void> }>();

  constructor(
    private readonly redis: Redis,
    prefix = '',
    private readonly ownsConnection = false,
  ) {
    this.keys = queueKeys(prefix);
    this.redlock = new Redlock([redis], {
      retryCount: 0,
      driftFactor: 0.01,
      automaticExtensionThreshold: 500,
    });
    // Redlock reports failed extensions here too; they surface through `lost` and the abort signal.
    this.redlock.on('error', () => undefined);
  }

  async withLock<T>(
    resource: string,
    fn: (signal: AbortSignal) => Promise<T>,
    opts: { ttlMs?: number; waitMs?: number } = {},
  ): Promise<T> {
    const ttl = Math.max(1000, opts.ttlMs ?? 10_000);
    const deadline = Date.now() + (opts.waitMs ?? 0);
    for (;;) {
      try {
        return await this.redlock.using([this.keys.lock(resource)], ttl, { retryCount: 0 }, async (signal) =>
          fn(signal as AbortSignal),
        );
      } catch (error) {
        if (!isContention(error)) throw error;
        if (Date.now() >= deadline) throw new LockUnavailableError(resource);
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  }

  async tryAcquire(resource: string, ttlMs: number, onLost?: () => void): Promise<HeldLock | null> {
    const ttl = Math.max(1000, ttlMs);
    let lock: Lock;
    try {
      lock = await this.redlock.acquire([this.keys.lock(resource)], ttl, { retryCount: 0 });
    } catch (error) {
      if (isContention(error)) return null;
      throw error;
    }
    let lost = false;
    let released = false;
    const timer = setInterval(
      async () => {
        try {
          lock = await lock.extend(ttl);
        } catch {
          if (!released && !lost) {
            lost = true;
            clearInterval(timer);
            onLost?.();
          }
        }
      },
      Math.floor(ttl / 3),
    );
    const handle = {
      resource,
      get lost() {
        return lost;
      },
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        this.held.delete(handle);
        if (!lost) await lock.release().catch(() => undefined);
      },
    };
    this.held.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.held].map((h) => h.release()));
    if (this.ownsConnection) await this.redis.quit().catch(() => undefined);
  }
}

function isContention(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'ExecutionError' || /quorum|attempts/i.test(error.message))
  );
}
