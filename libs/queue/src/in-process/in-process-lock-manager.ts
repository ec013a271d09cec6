import { LockUnavailableError, type HeldLock, type LockManager } from '../lock-manager.port';

/** Locks for one process: enough for the all-in-one mode, where there is nobody else to exclude. */
export class InProcessLockManager implements LockManager {
  private readonly locks = new Map<string, symbol>();

  async withLock<T>(
    resource: string,
    fn: (signal: AbortSignal) => Promise<T>,
    opts: { ttlMs?: number; waitMs?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + (opts.waitMs ?? 0);
    while (this.locks.has(resource)) {
      if (Date.now() >= deadline) throw new LockUnavailableError(resource);
      await new Promise((r) => setTimeout(r, 10));
    }
    const owner = Symbol(resource);
    this.locks.set(resource, owner);
    try {
      return await fn(new AbortController().signal);
    } finally {
      if (this.locks.get(resource) === owner) this.locks.delete(resource);
    }
  }

  async tryAcquire(resource: string): Promise<HeldLock | null> {
    if (this.locks.has(resource)) return null;
    const owner = Symbol(resource);
    this.locks.set(resource, owner);
    return {
      resource,
      lost: false,
      release: async () => {
        if (this.locks.get(resource) === owner) this.locks.delete(resource);
      },
    };
  }

  async close(): Promise<void> {
    this.locks.clear();
  }
}
