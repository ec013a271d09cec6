/** Shard jobs waiting for workers: one priority queue per pool, leased with a visibility timeout. */
export interface NewJob {
  /** Give the id to make enqueue idempotent (the same id twice queues one job). */
  id?: string;
  pool: string;
  /** 0 (lowest) to 9 (highest); higher priorities are leased first, FIFO within one. */
  priority: number;
  executionId: string;
  payload: Record<string, unknown>;
  /** Leases that may end without an ack before the job is dead. */
  maxAttempts?: number;
}

export type JobState = 'queued' | 'leased' | 'dead' | 'cancelled';

export interface Job {
  id: string;
  pool: string;
  priority: number;
  executionId: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  state: JobState;
  enqueuedAt: number;
  lastError: string | null;
}

export interface Lease {
  job: Job;
  token: string;
  workerId: string;
  expiresAt: number;
}

export type LeaseRef = Pick<Lease, 'token'> & { job: Pick<Job, 'id'> };

export interface ReapOutcome {
  requeued: string[];
  dead: string[];
}

export interface JobQueue {
  enqueue(job: NewJob): Promise<Job>;
  /** Takes the highest-priority job of the pool for leaseMs; expired leases of the pool are reaped first. */
  lease(pool: string, workerId: string, leaseMs: number): Promise<Lease | null>;
  /** Extends a lease. 'cancelled' tells the worker to stop; 'lost' that the lease expired and moved on. */
  renew(lease: LeaseRef, leaseMs: number): Promise<'renewed' | 'lost' | 'cancelled'>;
  /** The job is done: removes it. False when the lease was no longer held. */
  ack(lease: LeaseRef): Promise<boolean>;
  /** Gives the job back untouched (a worker shutting down): first in line, attempts unchanged. */
  release(lease: LeaseRef): Promise<boolean>;
  /** The attempt failed: attempts + 1, queued again or dead past maxAttempts. */
  fail(lease: LeaseRef, error: string): Promise<'requeued' | 'dead' | 'lost'>;
  /** Requeues (or kills) every job whose lease expired, in every pool. */
  reapExpired(): Promise<ReapOutcome>;
  /** A worker is gone (missed heartbeats): its leased jobs go back at once. */
  releaseWorker(workerId: string, reason?: string): Promise<ReapOutcome>;
  /** Removes an execution's queued jobs and marks its leased ones cancelled (seen on renew). */
  cancelExecution(executionId: string): Promise<{ removed: number; leased: string[] }>;
  depth(pool?: string): Promise<{ pool: string; priority: number; count: number }[]>;
  deadJobs(pool: string, limit?: number): Promise<Job[]>;
  get(jobId: string): Promise<Job | null>;
  close(): Promise<void>;
}

export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 9;

export class InvalidJobError extends Error {
  override readonly name = 'InvalidJobError';
}

export function checkNewJob(job: NewJob): void {
  if (!Number.isInteger(job.priority) || job.priority < MIN_PRIORITY || job.priority > MAX_PRIORITY) {
    throw new InvalidJobError(
      `priority must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}, got ${job.priority}`,
    );
  }
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(job.pool)) {
    throw new InvalidJobError(`pool must be lowercase letters, digits, "-" or "_", got "${job.pool}"`);
  }
  if (job.maxAttempts !== undefined && (!Number.isInteger(job.maxAttempts) || job.maxAttempts < 1)) {
    throw new InvalidJobError(`maxAttempts must be a positive integer, got ${job.maxAttempts}`);
  }
}
