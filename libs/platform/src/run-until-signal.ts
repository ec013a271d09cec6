import type { Logger } from '@verdict/config';

/**
 * Waits for SIGTERM or SIGINT, then runs `stop` within `graceMs` (past it the process exits 1).
 * Resolves once stopped, so a command's action can await it.
 */
export function runUntilSignal(log: Logger, graceMs: number, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, graceMs }, 'shutting down');
      const force = setTimeout(() => {
        log.error('grace period over, exiting');
        process.exit(1);
      }, graceMs);
      force.unref();
      await stop();
      log.info('stopped');
      resolve();
    };
    process.once('SIGTERM', () => void onSignal('SIGTERM'));
    process.once('SIGINT', () => void onSignal('SIGINT'));
  });
}
