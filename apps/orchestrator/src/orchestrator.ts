import path from 'node:path';
import type { MessageBus, Subscription } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { SqlDatabase } from '@verdict/db';
import type { MetricsWriter } from '@verdict/metrics';
import type { JobQueue, LockManager } from '@verdict/queue';
import { GitCheckouts } from '@verdict/sources';
import { OfflineSweeper } from './fleet/offline-sweeper';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { planExecutionHandler } from './plan-execution/plan-execution.handler';
import { Scheduler } from './schedules/scheduler';

export interface Orchestrator {
  relay: OutboxRelay;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/** The orchestrator's background work: the outbox relay, the planner (request.new), the fleet sweeper and the scheduler. */
export async function startOrchestrator(deps: {
  db: SqlDatabase;
  bus: MessageBus;
  queue: JobQueue;
  locks: LockManager;
  log: Logger;
  offlineAfterMs: number;
  /** Where git sources are mirrored and checked out for planning. */
  dataDir: string;
  metrics?: MetricsWriter;
}): Promise<Orchestrator> {
  const log = deps.log.child({ service: 'orchestrator' });
  const relay = new OutboxRelay(deps.db, deps.bus, log);
  relay.start();
  const sweeper = new OfflineSweeper({ ...deps, log }, deps.offlineAfterMs);
  sweeper.start();
  const scheduler = new Scheduler({ db: deps.db, locks: deps.locks, log });
  scheduler.start();
  const subs: Subscription[] = [
    await deps.bus.subscribe({
      queue: 'orchestrator.plan',
      bindings: [{ exchange: 'test.execution', pattern: 'request.new' }],
      prefetch: 4,
      handler: planExecutionHandler({
        db: deps.db,
        queue: deps.queue,
        git: new GitCheckouts({ root: path.join(deps.dataDir, 'git') }),
        log,
        onPlanned: () => relay.nudge(),
      }),
    }),
  ];
  return {
    relay,
    scheduler,
    stop: async () => {
      await scheduler.stop();
      sweeper.stop();
      await Promise.all(subs.map((s) => s.cancel()));
      await relay.stop();
    },
  };
}
