import type { Cache } from '../cache.port';

export class InProcessCache implements Cache {
  private readonly entries = new Map<string, { json: string; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    // Expired entries are dropped on read; the sweep keeps memory bounded for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private sweep(): void {
    const now = this.clock();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }

  private live(key: string) {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const e = this.live(key);
    return e ? (JSON.parse(e.json) as T) : undefined;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.set(key, {
      json: JSON.stringify(value),
      expiresAt: this.clock() + Math.max(1, Math.round(ttlMs)),
    });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const e = this.live(key);
    const n = (e ? Number(JSON.parse(e.json)) : 0) + 1;
    this.entries.set(key, {
      json: JSON.stringify(n),
      expiresAt: e ? e.expiresAt : this.clock() + Math.max(1, Math.round(ttlMs)),
    });
    return n;
  }

  async ttl(key: string): Promise<number> {
    const e = this.live(key);
    return e ? e.expiresAt - this.clock() : -1;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
