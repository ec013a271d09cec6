import { randomUUID } from 'node:crypto';
import {
  checkNewJob,
  MAX_PRIORITY,
  MIN_PRIORITY,
  type Job,
  type JobQueue,
  type Lease,
  type LeaseRef,
  type NewJob,
  type ReapOutcome,
} from '../job-queue.port';

interface Slot {
  job: Job;
  token: string;
  workerId: string;
  expiresAt: number;
}

/** The embedded job queue: the Redis adapter's semantics (same contract suite) in process memory. */
export class InProcessJobQueue implements JobQueue {
  private readonly jobs = new Map<string, Slot>();
  private readonly queues = new Map<string, string[]>();
  private readonly dead = new Map<string, string[]>();
  /** Slots holding a lease (leased or cancelled-while-leased): reaping looks only here. */
  private readonly held = new Set<Slot>();

  constructor(private readonly clock: () => number = Date.now) {}

  private list(pool: string, priority: number): string[] {
    const k = `${pool}:${priority}`;
    let q = this.queues.get(k);
    if (!q) this.queues.set(k, (q = []));
    return q;
  }

  private copy(job: Job): Job {
    return { ...job, payload: structuredClone(job.payload) };
  }

  async enqueue(n: NewJob): Promise<Job> {
    checkNewJob(n);
    const id = n.id ?? randomUUID();
    const existing = this.jobs.get(id);
    if (existing) return this.copy(existing.job);
    const job: Job = {
      id,
      pool: n.pool,
      priority: n.priority,
      executionId: n.executionId,
      payload: structuredClone(n.payload),
      attempts: 0,
      maxAttempts: n.maxAttempts ?? 3,
      state: 'queued',
      enqueuedAt: this.clock(),
      lastError: null,
    };
    this.jobs.set(id, { job, token: '', workerId: '', expiresAt: 0 });
    this.list(job.pool, job.priority).push(id);
    return this.copy(job);
  }

  async lease(pool: string, workerId: string, leaseMs: number): Promise<Lease | null> {
    this.reapPool(pool);
    for (let prio = MAX_PRIORITY; prio >= MIN_PRIORITY; prio--) {
      const q = this.list(pool, prio);
      while (q.length) {
        const slot = this.jobs.get(q.shift()!);
        if (slot?.job.state !== 'queued') continue;
        slot.job.state = 'leased';
        slot.token = randomUUID();
        slot.workerId = workerId;
        slot.expiresAt = this.clock() + Math.max(1, Math.round(leaseMs));
        this.held.add(slot);
        return { job: this.copy(slot.job), token: slot.token, workerId, expiresAt: slot.expiresAt };
      }
    }
    return null;
  }

  private owned(lease: LeaseRef): Slot | undefined {
    const slot = this.jobs.get(lease.job.id);
    return slot && lease.token !== '' && slot.token === lease.token ? slot : undefined;
  }

  async renew(lease: LeaseRef, leaseMs: number): Promise<'renewed' | 'lost' | 'cancelled'> {
    const slot = this.owned(lease);
    if (!slot) return 'lost';
    if (slot.job.state === 'cancelled') return 'cancelled';
    if (slot.job.state !== 'leased') return 'lost';
    slot.expiresAt = this.clock() + Math.max(1, Math.round(leaseMs));
    return 'renewed';
  }

  async ack(lease: LeaseRef): Promise<boolean> {
    const slot = this.owned(lease);
    if (!slot) return false;
    this.held.delete(slot);
    this.jobs.delete(lease.job.id);
    return true;
  }

  async release(lease: LeaseRef): Promise<boolean> {
    const slot = this.owned(lease);
    if (!slot || slot.job.state !== 'leased') return false;
    this.held.delete(slot);
    slot.job.state = 'queued';
    slot.token = '';
    slot.workerId = '';
    this.list(slot.job.pool, slot.job.priority).unshift(slot.job.id);
    return true;
  }

  async fail(lease: LeaseRef, error: string): Promise<'requeued' | 'dead' | 'lost'> {
    const slot = this.owned(lease);
    if (!slot) return 'lost';
    const outcome = this.endLease(slot, error.slice(0, 4000));
    return outcome === 'skip' ? 'lost' : outcome;
  }

  /** attempts + 1, then first in line again or dead past maxAttempts (as _common.lua end_lease). */
  private endLease(slot: Slot, reason: string): 'requeued' | 'dead' | 'skip' {
    const job = slot.job;
    this.held.delete(slot);
    if (job.state === 'cancelled') {
      this.jobs.delete(job.id);
      return 'skip';
    }
    if (job.state !== 'leased') return 'skip';
    job.attempts += 1;
    job.lastError = reason;
    slot.token = '';
    slot.workerId = '';
    if (job.attempts >= job.maxAttempts) {
      job.state = 'dead';
      const d = this.dead.get(job.pool) ?? [];
      d.push(job.id);
      this.dead.set(job.pool, d);
      return 'dead';
    }
    job.state = 'queued';
    this.list(job.pool, job.priority).unshift(job.id);
    return 'requeued';
  }

  private reapPool(pool: string | undefined, out: ReapOutcome = { requeued: [], dead: [] }): ReapOutcome {
    const now = this.clock();
    const expired = [...this.held]
      .filter((s) => s.expiresAt <= now && (!pool || s.job.pool === pool))
      .sort((a, b) => a.expiresAt - b.expiresAt);
    for (const s of expired) {
      const outcome = this.endLease(s, 'lease expired');
      if (outcome === 'requeued') out.requeued.push(s.job.id);
      if (outcome === 'dead') out.dead.push(s.job.id);
    }
    return out;
  }

  async reapExpired(): Promise<ReapOutcome> {
    return this.reapPool(undefined);
  }

  async releaseWorker(workerId: string, reason = 'worker offline'): Promise<ReapOutcome> {
    const out: ReapOutcome = { requeued: [], dead: [] };
    for (const s of [...this.held].filter((x) => x.workerId === workerId)) {
      const outcome = this.endLease(s, reason);
      if (outcome === 'requeued') out.requeued.push(s.job.id);
      if (outcome === 'dead') out.dead.push(s.job.id);
    }
    return out;
  }

  async cancelExecution(executionId: string): Promise<{ removed: number; leased: string[] }> {
    let removed = 0;
    const leased: string[] = [];
    for (const s of [...this.jobs.values()].filter((x) => x.job.executionId === executionId)) {
      if (s.job.state === 'queued') {
        const q = this.list(s.job.pool, s.job.priority);
        q.splice(q.indexOf(s.job.id), 1);
        this.jobs.delete(s.job.id);
        removed++;
      } else if (s.job.state === 'leased') {
        s.job.state = 'cancelled';
        leased.push(s.job.id);
      }
    }
    return { removed, leased };
  }

  async depth(pool?: string): Promise<{ pool: string; priority: number; count: number }[]> {
    const out: { pool: string; priority: number; count: number }[] = [];
    for (const [k, q] of this.queues) {
      const [p, prio] = k.split(':');
      const count = q.filter((id) => this.jobs.get(id)?.job.state === 'queued').length;
      if (count > 0 && (!pool || p === pool)) out.push({ pool: p, priority: Number(prio), count });
    }
    return out.sort((a, b) => a.pool.localeCompare(b.pool) || b.priority - a.priority);
  }

  async deadJobs(pool: string, limit = 100): Promise<Job[]> {
    return (this.dead.get(pool) ?? [])
      .slice(0, limit)
      .map((id) => this.jobs.get(id))
      .filter((s): s is Slot => !!s)
      .map((s) => this.copy(s.job));
  }

  async get(jobId: string): Promise<Job | null> {
    const s = this.jobs.get(jobId);
    return s ? this.copy(s.job) : null;
  }

  async close(): Promise<void> {}
}
