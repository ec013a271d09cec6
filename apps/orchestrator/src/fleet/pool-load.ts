import { PoolRepository, type PoolWithNodes, type SqlDatabase } from '@verdict/db';
import type { JobQueue } from '@verdict/queue';

export interface PoolLoad {
  pool: string;
  queuedJobs: number;
  busyWorkers: number;
  onlineWorkers: number;
  offlineWorkers: number;
  minWorkers: number;
  maxWorkers: number;
  /** Queued plus busy, bounded by the pool's min and max: what an autoscaler should run. */
  desiredWorkers: number;
}

/** How loaded a pool is now: one computation for the autoscaler's route and the fleet metrics. */
export async function poolLoad(db: SqlDatabase, queue: JobQueue, pool: PoolWithNodes): Promise<PoolLoad> {
  const queued = (await queue.depth(pool.name)).reduce((n, d) => n + d.count, 0);
  const busy = await new PoolRepository(db).busyNodes(pool.name);
  return {
    pool: pool.name,
    queuedJobs: queued,
    busyWorkers: busy,
    onlineWorkers: pool.nodes.ACTIVE,
    offlineWorkers: pool.nodes.OFFLINE,
    minWorkers: pool.minWorkers,
    maxWorkers: pool.maxWorkers,
    desiredWorkers: Math.min(pool.maxWorkers, Math.max(pool.minWorkers, queued + busy)),
  };
}
