import type { MessageBus } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import { NodeRepository, PoolRepository, type SqlDatabase } from '@verdict/db';
import type { MetricsWriter } from '@verdict/metrics';
import type { JobQueue, LockManager } from '@verdict/queue';
import { poolLoad } from './pool-load';

/**
 * Finds ACTIVE nodes whose heartbeats stopped, marks them OFFLINE (with a lifecycle row), puts
 * their leased jobs back on the queue at once (to run elsewhere, attempts + 1) and announces
 * node.offline, and records a `fleet` metrics point per pool. One orchestrator sweeps at a time
 * (lock:fleet-sweeper).
 */
export class OfflineSweeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      db: SqlDatabase;
      bus: MessageBus;
      queue: JobQueue;
      locks: LockManager;
      log: Logger;
      /** Where a `fleet` point per pool goes at each sweep (workers online, busy, queued). */
      metrics?: MetricsWriter;
    },
    private readonly offlineAfterMs: number,
  ) {}

  start(): void {
    const every = Math.max(200, Math.floor(this.offlineAfterMs / 3));
    this.timer = setInterval(
      () =>
        void this.sweep().catch((err) =>
          this.deps.log.warn({ err: (err as Error).message }, 'fleet sweep failed'),
        ),
      every,
    );
    this.timer.unref();
  }

  async sweep(): Promise<string[]> {
    return this.deps.locks
      .withLock(
        'fleet-sweeper',
        async () => {
          const nodes = new NodeRepository(this.deps.db);
          const gone: string[] = [];
          for (const node of await nodes.stale(this.offlineAfterMs)) {
            const reason = `no heartbeat for ${Math.round((Date.now() - Date.parse(node.lastHeartbeatAt ?? node.createdAt)) / 1000)} s`;
            if (!(await nodes.transition(node.id, 'OFFLINE', reason, 'system'))) continue;
            const { requeued, dead } = await this.deps.queue.releaseWorker(
              node.id,
              `node ${node.name} went offline`,
            );
            await this.deps.bus.publish('node.offline', {
              nodeId: node.id,
              name: node.name,
              pool: node.pool,
              reason,
              requeuedJobs: requeued,
              at: new Date().toISOString(),
            });
            this.deps.log.warn(
              { nodeId: node.id, name: node.name, requeued: requeued.length, dead: dead.length, reason },
              'node offline',
            );
            gone.push(node.id);
          }
          if (this.deps.metrics) await this.recordFleet(this.deps.metrics);
          return gone;
        },
        { ttlMs: 10_000 },
      )
      .catch((err: Error) => (err.name === 'LockUnavailableError' ? [] : Promise.reject(err)));
  }

  private async recordFleet(metrics: MetricsWriter): Promise<void> {
    const at = new Date();
    for (const pool of (await new PoolRepository(this.deps.db).list({ limit: 1000, offset: 0 })).items) {
      const load = await poolLoad(this.deps.db, this.deps.queue, pool);
      metrics.write({
        measurement: 'fleet',
        tags: { pool: pool.name },
        fields: {
          online: load.onlineWorkers,
          busy: load.busyWorkers,
          offline: load.offlineWorkers,
          queued: load.queuedJobs,
          desired: load.desiredWorkers,
        },
        timestamp: at,
      });
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
