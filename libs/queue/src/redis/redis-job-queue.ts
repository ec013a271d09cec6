import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import {
  checkNewJob,
  MAX_PRIORITY,
  MIN_PRIORITY,
  type Job,
  type JobQueue,
  type JobState,
  type Lease,
  type LeaseRef,
  type NewJob,
  type ReapOutcome,
} from '../job-queue.port';
import { queueKeys } from './queue-keys';
import { loadQueueCommands, runCommand, type QueueCommand } from './script-loader';

function toJob(flat: string[]): Job {
  const h: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) h[flat[i]] = flat[i + 1];
  return {
    id: h.id,
    pool: h.pool,
    priority: Number(h.priority),
    executionId: h.executionId,
    payload: JSON.parse(h.payload),
    attempts: Number(h.attempts),
    maxAttempts: Number(h.maxAttempts),
    state: h.state as JobState,
    enqueuedAt: Number(h.enqueuedAt),
    lastError: h.lastError || null,
  };
}

/**
 * Redis job queue: a list per pool and priority, a hash per job, a sorted set of lease expiries
 * per pool. Every change that touches more than one key is one Lua script (commands/*.lua),
 * timed by the Redis server's clock so workers' clocks never matter.
 */
export class RedisJobQueue implements JobQueue {
  private readonly keys: ReturnType<typeof queueKeys>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = '',
    private readonly ownsConnection = false,
  ) {
    this.keys = queueKeys(prefix);
    loadQueueCommands(redis);
  }

  private run(name: QueueCommand, ...args: (string | number)[]): Promise<unknown> {
    return runCommand(this.redis, name, [this.prefix, ...args]);
  }

  async enqueue(job: NewJob): Promise<Job> {
    checkNewJob(job);
    const flat = (await this.run(
      'enqueue',
      job.id ?? randomUUID(),
      job.pool,
      job.priority,
      job.executionId,
      JSON.stringify(job.payload),
      job.maxAttempts ?? 3,
    )) as string[];
    return toJob(flat);
  }

  async lease(pool: string, workerId: string, leaseMs: number): Promise<Lease | null> {
    const token = randomUUID();
    const out = (await this.run('lease', pool, workerId, Math.max(1, Math.round(leaseMs)), token)) as
      string[] | null;
    if (!out) return null;
    return { job: toJob(out.slice(1)), token, workerId, expiresAt: Number(out[0]) };
  }

  async renew(lease: LeaseRef, leaseMs: number): Promise<'renewed' | 'lost' | 'cancelled'> {
    return (await this.run('renew', lease.job.id, lease.token, Math.max(1, Math.round(leaseMs)))) as
      'renewed' | 'lost' | 'cancelled';
  }

  async ack(lease: LeaseRef): Promise<boolean> {
    return (await this.run('ack', lease.job.id, lease.token)) === 1;
  }

  async release(lease: LeaseRef): Promise<boolean> {
    return (await this.run('release', lease.job.id, lease.token)) === 1;
  }

  async fail(lease: LeaseRef, error: string): Promise<'requeued' | 'dead' | 'lost'> {
    return (await this.run('fail', lease.job.id, lease.token, error.slice(0, 4000))) as
      'requeued' | 'dead' | 'lost';
  }

  async reapExpired(): Promise<ReapOutcome> {
    const [requeued, dead] = (await this.run('reap')) as [string[], string[]];
    return { requeued, dead };
  }

  async releaseWorker(workerId: string, reason = 'worker offline'): Promise<ReapOutcome> {
    const [requeued, dead] = (await this.run('release-worker', workerId, reason)) as [string[], string[]];
    return { requeued, dead };
  }

  async cancelExecution(executionId: string): Promise<{ removed: number; leased: string[] }> {
    const [removed, leased] = (await this.run('cancel-execution', executionId)) as [number, string[]];
    return { removed: Number(removed), leased };
  }

  async depth(pool?: string): Promise<{ pool: string; priority: number; count: number }[]> {
    const pools = pool ? [pool] : (await this.redis.smembers(this.keys.pools())).sort();
    const pipe = this.redis.pipeline();
    const slots: { pool: string; priority: number }[] = [];
    for (const p of pools) {
      for (let prio = MAX_PRIORITY; prio >= MIN_PRIORITY; prio--) {
        pipe.llen(this.keys.queue(p, prio));
        slots.push({ pool: p, priority: prio });
      }
    }
    const res = (await pipe.exec()) ?? [];
    return slots.map((s, i) => ({ ...s, count: Number(res[i][1]) })).filter((s) => s.count > 0);
  }

  async deadJobs(pool: string, limit = 100): Promise<Job[]> {
    const ids = await this.redis.lrange(this.keys.dead(pool), 0, limit - 1);
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is Job => j !== null);
  }

  async get(jobId: string): Promise<Job | null> {
    const h = await this.redis.hgetall(this.keys.job(jobId));
    if (!h.id) return null;
    return toJob(Object.entries(h).flat());
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => undefined);
  }
}
