import { spawn } from 'node:child_process';
import readline from 'node:readline';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** Set when the process could not be started at all (e.g. the working directory is missing). */
  spawnError: string | null;
}

export interface RunOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Between SIGTERM and SIGKILL when stopping the group. */
  killGraceMs?: number;
}

/**
 * Runs a shell command in its own process group, so that a timeout or a cancel stops the whole
 * tree the command started (test runners fork workers), not only the shell.
 */
export function runInProcessGroup(opts: RunOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn('/bin/sh', ['-c', opts.command], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stopGroup = () => {
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          /* the group is gone already */
        }
      };
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), opts.killGraceMs ?? 5000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup();
    }, opts.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stopGroup();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    readline.createInterface({ input: child.stdout! }).on('line', (l) => opts.onLine('stdout', l));
    readline.createInterface({ input: child.stderr! }).on('line', (l) => opts.onLine('stderr', l));
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Whatever the shell left running in its group goes with it.
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* nothing left */
      }
      resolve({ exitCode, signal, timedOut, cancelled, durationMs: Date.now() - started, spawnError });
    };
    child.once('error', (err) => finish(null, null, err.message));
    child.once('close', (code, signal) => finish(code, signal, null));
  });
}
