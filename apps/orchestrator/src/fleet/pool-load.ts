import { PoolRepository, PoolScheduleRepository, type PoolWithNodes, type SqlDatabase } from '@verdict/db';
import { inWindow } from '../schedules/cron';
import type { JobQueue } from '@verdict/queue';

export interface PoolLoad {
  pool: string;
  queuedJobs: number;
  busyWorkers: number;
  onlineWorkers: number;
  offlineWorkers: number;
  minWorkers: number;
  maxWorkers: number;
  /** The target of the capacity windows open now (the largest), 0 when none is. */
  scheduledWorkers: number;
  /** Queued plus busy, at least what an open capacity window asks, bounded by the pool's min and max: what an autoscaler should run. */
  desiredWorkers: number;
}

/** How loaded a pool is now: one computation for the autoscaler's route and the fleet metrics. */
export async function poolLoad(db: SqlDatabase, queue: JobQueue, pool: PoolWithNodes): Promise<PoolLoad> {
  const queued = (await queue.depth(pool.name)).reduce((n, d) => n + d.count, 0);
  const busy = await new PoolRepository(db).busyNodes(pool.name);
  const now = new Date();
  const scheduled = Math.max(
    0,
    ...(await new PoolScheduleRepository(db).listActiveByPoolName(pool.name))
      .filter((w) => inWindow(w.startTime, w.endTime, w.timezone, now))
      .map((w) => w.targetWorkers),
  );
  return {
    pool: pool.name,
    queuedJobs: queued,
    busyWorkers: busy,
    onlineWorkers: pool.nodes.ACTIVE,
    offlineWorkers: pool.nodes.OFFLINE,
    minWorkers: pool.minWorkers,
    maxWorkers: pool.maxWorkers,
    scheduledWorkers: scheduled,
    desiredWorkers: Math.min(pool.maxWorkers, Math.max(pool.minWorkers, queued + busy, scheduled)),
  };
}
