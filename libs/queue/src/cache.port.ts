/** A TTL cache (JSON values): sessions, live progress, result snapshots. */
export interface Cache {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds 1 to a counter and answers the new count; the counter's window (ttlMs) starts with
   * its first increment and is not extended by later ones (fixed-window rate limits).
   */
  incr(key: string, ttlMs: number): Promise<number>;
  /** Milliseconds left, or -1 when the key is missing. */
  ttl(key: string): Promise<number>;
  close(): Promise<void>;
}
