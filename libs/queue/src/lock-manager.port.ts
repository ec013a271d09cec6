export interface HeldLock {
  readonly resource: string;
  /** True once the lock could not be extended: another holder may have it now. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface LockManager {
  /**
   * Runs fn while holding lock:{resource}, extended automatically while fn runs. Waits up to
   * waitMs for the lock, then throws LockUnavailableError. The signal aborts if the lock is lost.
   */
  withLock<T>(
    resource: string,
    fn: (signal: AbortSignal) => Promise<T>,
    opts?: { ttlMs?: number; waitMs?: number },
  ): Promise<T>;
  /** Takes the lock if free (leader election); kept alive until released; onLost if it slips away. */
  tryAcquire(resource: string, ttlMs: number, onLost?: () => void): Promise<HeldLock | null>;
  close(): Promise<void>;
}

export class LockUnavailableError extends Error {
  override readonly name = 'LockUnavailableError';
  constructor(readonly resource: string) {
    super(`Lock "${resource}" is held by another process`);
  }
}
