import type { LogLevel } from '@verdict/contracts';

export interface LogEntry {
  testId: string | null;
  timestamp: string;
  level: LogLevel;
  message: string;
  /** Absent for the worker's own notes about the shard. */
  stream?: 'stdout' | 'stderr';
}

/**
 * Collects output lines and hands them on in batches (one message per batch, never one per
 * line): when maxLines are waiting, every intervalMs, and on flush(). Lines longer than
 * maxLineLength are cut, and the cut is said.
 */
export class LogBatcher {
  private entries: LogEntry[] = [];
  private readonly timer: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (entries: LogEntry[]) => Promise<void>,
    private readonly opts: { maxLines?: number; intervalMs?: number; maxLineLength?: number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), opts.intervalMs ?? 500);
    this.timer.unref();
  }

  add(stream: 'stdout' | 'stderr', line: string, testId: string | null = null): void {
    const max = this.opts.maxLineLength ?? 8192;
    const message =
      line.length > max ? `${line.slice(0, max)}… [${line.length - max} more characters cut]` : line;
    this.entries.push({
      testId,
      timestamp: new Date().toISOString(),
      level: stream === 'stderr' ? 'warn' : 'info',
      message,
      stream,
    });
    if (this.entries.length >= (this.opts.maxLines ?? 500)) void this.flush();
  }

  /** A line from the worker itself (what it runs, how that ended), not from the command. */
  note(message: string, level: LogLevel = 'info'): void {
    this.entries.push({ testId: null, timestamp: new Date().toISOString(), level, message });
  }

  flush(): Promise<void> {
    const batch = this.entries;
    this.entries = [];
    if (batch.length) this.sending = this.sending.then(() => this.send(batch)).catch(() => undefined);
    return this.sending;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
