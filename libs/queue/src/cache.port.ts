/** A TTL cache (JSON values): sessions, live progress, result snapshots. */
export interface Cache {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Milliseconds left, or -1 when the key is missing. */
  ttl(key: string): Promise<number>;
  close(): Promise<void>;
}
