import type { Logger } from '@verdict/config';
import { ScheduleRepository, type SqlDatabase } from '@verdict/db';
import type { HeldLock, LockManager } from '@verdict/queue';
import { createExecution } from '../trigger-execution/trigger-execution';
import { nextTick } from './cron';

export const SCHEDULER_LOCK = 'scheduler-leader';

export interface SchedulerOptions {
  /** How often the leader looks for due schedules, and others try to lead. */
  tickMs?: number;
  /** The leader's lock lives this long without renewal: a dead leader is replaced within it. */
  leaseMs?: number;
}

/**
 * Fires suites' cron schedules. Every orchestrator runs one; the one holding the leader lock
 * (Redis in production) fires, the others wait to take over when it dies. Each due schedule is
 * locked in a transaction that creates its execution and moves it to its next tick, so a tick
 * fires once even while two processes briefly both believe they lead. Ticks missed while
 * nothing ran fire once, not once each: the schedule moves to the first tick after now.
 */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private held: HeldLock | null = null;
  private running?: Promise<void>;
  /** Ticks fired by this process (for logs and tests). */
  fired = 0;

  constructor(
    private readonly deps: { db: SqlDatabase; locks: LockManager; log: Logger },
    private readonly opts: SchedulerOptions = {},
  ) {}

  get isLeader(): boolean {
    return Boolean(this.held && !this.held.lost);
  }

  start(): void {
    const tick = () => {
      if (!this.running)
        this.running = this.step()
          .catch((error) => this.deps.log.error({ err: error }, 'scheduler step failed'))
          .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.opts.tickMs ?? 1000);
    this.timer.unref();
    tick();
  }

  private async step(): Promise<void> {
    if (!this.isLeader) {
      this.held = await this.deps.locks.tryAcquire(SCHEDULER_LOCK, this.opts.leaseMs ?? 15_000, () => {
        this.deps.log.warn('scheduler leadership lost');
      });
      if (!this.held) return;
      this.deps.log.info('scheduler leading');
    }
    await this.fireDue();
  }

  /** Fires every schedule that is due now; returns how many executions it started. */
  async fireDue(now = new Date()): Promise<number> {
    return this.deps.db.transaction(async (tx) => {
      const repo = new ScheduleRepository(tx);
      let started = 0;
      for (const s of await repo.lockDue(now)) {
        const tick = new Date(s.nextRunAt!);
        let next: Date | null = null;
        try {
          next = nextTick(s.cron, s.timezone, now);
        } catch (error) {
          this.deps.log.error({ err: error, schedule: s.id }, 'schedule has an invalid cron; paused');
        }
        // A savepoint, so a suite that cannot run (deleted, inactive) skips its tick alone.
        await tx.query('SAVEPOINT fire');
        let fired = false;
        try {
          await createExecution(tx, {
            workspaceId: s.workspaceId,
            suiteId: s.suiteId,
            userId: null,
            trigger: {
              type: 'scheduled',
              source: `schedule:${s.name}`,
              ...(s.branch ? { branch: s.branch } : {}),
              metadata: { scheduleId: s.id, tick: tick.toISOString() },
            },
          });
          await tx.query('RELEASE SAVEPOINT fire');
          fired = true;
          started++;
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT fire');
          this.deps.log.warn({ err: error, schedule: s.id }, 'scheduled run not started');
        }
        await repo.advance(s.id, tick, fired, next);
      }
      this.fired += started;
      return started;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.held?.release().catch(() => undefined);
    this.held = null;
  }
}
