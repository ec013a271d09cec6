export interface BackoffOptions {
  retries: number;
  initialMs?: number;
  maxMs?: number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

/** Retries fn with exponential backoff and full jitter; rethrows the last error. */
export async function withBackoff<T>(fn: () => Promise<T>, opts: BackoffOptions): Promise<T> {
  const initial = opts.initialMs ?? 200;
  const max = opts.maxMs ?? 10_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= opts.retries) throw error;
      const delay = Math.min(max, initial * 2 ** attempt);
      const jittered = Math.round(delay / 2 + Math.random() * (delay / 2));
      opts.onRetry?.(attempt + 1, jittered, error);
      await new Promise((r) => setTimeout(r, jittered));
    }
  }
}
