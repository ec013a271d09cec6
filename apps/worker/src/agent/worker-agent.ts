import os from 'node:os';
import path from 'node:path';
import type { MessageBus } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import { ShardJob, UnavailableError, ValidationError, type LogLevel } from '@verdict/contracts';
import { ExecutionRepository, NodeRepository, ShardRepository, type SqlDatabase } from '@verdict/db';
import type { JobQueue, Lease } from '@verdict/queue';
import { GitCheckouts, GitError } from '@verdict/sources';
import { LogBatcher } from '../run-shard/log-batcher';
import { brokenFile, runShard } from '../run-shard/shard-runner';
import { publishResults } from './publish-results';

export interface WorkerAgentOptions {
  name: string;
  pool: string;
  apiKey: string;
  labels?: Record<string, string>;
  leaseMs?: number;
  heartbeatMs?: number;
  idlePollMs?: number;
  workDir: string;
  /** Environment every command starts from (PATH, HOME…); the suite's env is laid over it. */
  baseEnv: Record<string, string>;
}

/**
 * A worker node: registers, heartbeats, leases shard jobs of its pool by priority, renews the
 * lease while the shard runs, streams output as log batches, publishes the results, and acks.
 * stop() stops leasing, lets the running shard finish (or gives it back past the grace), and
 * marks the node INACTIVE.
 */
export class WorkerAgent {
  private nodeId: string | null = null;
  private stopping = false;
  private loop?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private current: { lease: Lease; abort: AbortController } | null = null;
  private git?: GitCheckouts;

  constructor(
    private readonly deps: { db: SqlDatabase; bus: MessageBus; queue: JobQueue; log: Logger },
    private readonly opts: WorkerAgentOptions,
  ) {}

  get id(): string | null {
    return this.nodeId;
  }

  /** Whether a shard is running on this worker now. */
  get busy(): boolean {
    return this.current !== null;
  }

  async start(): Promise<void> {
    const node = await new NodeRepository(this.deps.db).register({
      apiKey: this.opts.apiKey,
      name: this.opts.name,
      pool: this.opts.pool,
      labels: this.opts.labels ?? {},
    });
    this.nodeId = node.id;
    await this.deps.bus.publish('node.online', {
      nodeId: node.id,
      name: node.name,
      pool: this.opts.pool,
      labels: node.labels,
      at: new Date().toISOString(),
    });
    this.heartbeat = setInterval(() => void this.beat(), this.opts.heartbeatMs ?? 3000);
    this.heartbeat.unref();
    this.loop = this.run();
    this.deps.log.info({ nodeId: node.id, pool: this.opts.pool }, 'worker online');
  }

  private async beat(): Promise<void> {
    if (!this.nodeId) return;
    const load = os.loadavg()[0];
    await new NodeRepository(this.deps.db)
      .heartbeat(this.nodeId, {
        currentJob: this.current?.lease.job.id ?? null,
        metrics: {
          cpuPercent: Math.min(100, (load / os.cpus().length) * 100),
          memoryBytes: process.memoryUsage().rss,
          loadAverage: load,
        },
      })
      .catch((err) => this.deps.log.warn({ err: (err as Error).message }, 'heartbeat failed'));
  }

  private async run(): Promise<void> {
    const leaseMs = this.opts.leaseMs ?? 30_000;
    while (!this.stopping) {
      let lease: Lease | null = null;
      try {
        lease = await this.deps.queue.lease(this.opts.pool, this.nodeId!, leaseMs);
      } catch (err) {
        this.deps.log.warn({ err: (err as Error).message }, 'lease failed');
      }
      if (!lease) {
        await new Promise((r) => setTimeout(r, this.opts.idlePollMs ?? 200));
        continue;
      }
      await this.runJob(lease, leaseMs);
    }
  }

  private async runJob(lease: Lease, leaseMs: number): Promise<void> {
    const parsed = ShardJob.safeParse(lease.job.payload);
    if (!parsed.success) {
      // Nothing can run it: counted as a failed attempt, so it ends dead and reported, not retried forever.
      this.deps.log.error({ jobId: lease.job.id, err: parsed.error.message }, 'malformed shard job');
      await this.deps.queue
        .fail(lease, `malformed shard job: ${parsed.error.message}`)
        .catch(() => undefined);
      return;
    }
    const job = parsed.data;
    const log = this.deps.log.child({ correlationId: job.executionId, shard: job.shardIndex });
    const execution = await new ExecutionRepository(this.deps.db).get(job.executionId).catch(() => undefined);
    if (execution === null || execution?.status === 'cancelled') {
      // Cancelled (or deleted) after the job was queued: nothing to run.
      log.info({ jobId: lease.job.id }, 'dropping the shard of a cancelled execution');
      await this.deps.queue.ack(lease).catch(() => undefined);
      return;
    }
    const abort = new AbortController();
    this.current = { lease, abort };
    const renew = setInterval(
      async () => {
        const state = await this.deps.queue.renew(lease, leaseMs).catch(() => 'renewed' as const);
        if (state !== 'renewed') {
          log.warn(
            { state },
            state === 'cancelled'
              ? 'execution cancelled: stopping the shard'
              : 'lease lost: stopping the shard',
          );
          abort.abort();
        }
      },
      Math.max(500, Math.floor(leaseMs / 3)),
    );
    const logs = new LogBatcher(async (entries) => {
      for (const level of new Set<LogLevel>(entries.map((e) => e.level))) {
        await this.deps.bus.publish(
          'log.batch',
          {
            executionId: job.executionId,
            shardIndex: job.shardIndex,
            level,
            entries: entries.filter((e) => e.level === level),
          },
          { workspaceId: job.workspaceId, correlationId: job.executionId },
        );
      }
    });
    try {
      await new ShardRepository(this.deps.db).markRunning(job.executionId, job.shardIndex, this.nodeId);
      const cwd = await this.sourceDir(job).catch((error: Error) => {
        // A source that cannot be checked out fails its tests with the reason, visibly.
        if (
          error instanceof GitError ||
          error instanceof ValidationError ||
          error instanceof UnavailableError
        )
          return error;
        throw error;
      });
      if (cwd instanceof Error) {
        const reason = `the source could not be checked out: ${cwd.message}`;
        logs.note(reason, 'error');
        await logs.close();
        await publishResults(
          this.deps.bus,
          { ...job, nodeId: this.nodeId },
          job.files.map((f) => brokenFile(f, reason, 0)),
        );
        await this.deps.queue.ack(lease);
        return;
      }
      const outcome = await runShard(
        {
          shardIndex: job.shardIndex,
          files: job.files,
          cwd,
          command: job.run.command,
          reportFormat: job.run.reportFormat,
          env: {
            ...this.opts.baseEnv,
            ...job.run.env,
            VERDICT_EXECUTION_ID: job.executionId,
            VERDICT_SHARD_INDEX: String(job.shardIndex),
          },
          timeoutMs: job.timeoutMs,
          retries: job.retries,
        },
        {
          reportDir: path.join(this.opts.workDir, job.executionId),
          onLine: (stream, line) => logs.add(stream, line),
          signal: abort.signal,
        },
      );
      outcome.runs.forEach((r, i) =>
        logs.note(
          `attempt ${i + 1}: ${r.timedOut ? 'timed out' : r.cancelled ? 'cancelled' : `exit code ${r.exitCode}`} after ${r.durationMs} ms`,
          r.exitCode === 0 ? 'info' : 'warn',
        ),
      );
      const failed = outcome.tests.filter((t) => t.status === 'failed' || t.status === 'broken');
      logs.note(
        `shard ${job.shardIndex}: ${outcome.tests.length} result(s), ${failed.length} failed or broken, ${outcome.tests.filter((t) => t.flaky).length} flaky`,
      );
      await logs.close();
      const state = abort.signal.aborted ? await this.deps.queue.renew(lease, leaseMs) : 'renewed';
      if (state === 'lost') return; // another worker has the shard now
      if (state === 'cancelled') {
        await this.deps.queue.ack(lease);
        return;
      }
      await publishResults(this.deps.bus, { ...job, nodeId: this.nodeId }, outcome.tests);
      await this.deps.queue.ack(lease);
      log.info({ tests: outcome.tests.length, runs: outcome.runs.length }, 'shard done');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'shard failed');
      await logs.close();
      await this.deps.queue.fail(lease, (err as Error).message).catch(() => undefined);
    } finally {
      clearInterval(renew);
      this.current = null;
    }
  }

  /** Where the shard runs: a local source in place, a git source checked out at the planned commit. */
  private async sourceDir(job: ShardJob): Promise<string> {
    const source = job.run.source;
    if (source.type === 'local') return source.path;
    this.git ??= new GitCheckouts({ root: path.join(this.opts.workDir, 'git'), env: this.opts.baseEnv });
    return this.git.checkout(source.url, job.commit ?? (await this.git.resolve(source.url, source.ref)));
  }

  /** Stops leasing; waits up to graceMs for the running shard, then gives it back; goes INACTIVE. */
  async stop(graceMs = 30_000): Promise<void> {
    this.stopping = true;
    const running = this.current;
    const finished = await Promise.race([
      this.loop?.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
    ]);
    if (!finished && running) {
      running.abort.abort();
      await this.deps.queue.release(running.lease).catch(() => undefined);
      await this.loop?.catch(() => undefined);
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.nodeId)
      await new NodeRepository(this.deps.db).transition(this.nodeId, 'INACTIVE', 'worker stopped', 'system');
  }
}
