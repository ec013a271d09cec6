import { Redis } from 'ioredis';
import { createLogger } from '@verdict/config';
import { Migrator, PostgresDatabase, ScheduleRepository, type SqlDatabase } from '@verdict/db';
import { InProcessLockManager, RedisLockManager } from '@verdict/queue';
import {
  createTestDatabase,
  describeWithServer,
  freshPglite,
  seedSuite,
  serverUrl,
  uniqueName,
  waitFor,
} from '@verdict/testing';
import { inWindow, nextTick, nextTicks } from './cron';
import { Scheduler } from './scheduler';

const log = createLogger('silent');

async function openDatabase(): Promise<{ db: SqlDatabase; drop: () => Promise<void> }> {
  const server = serverUrl('postgres');
  if (!server) return { db: await freshPglite(), drop: async () => undefined };
  const t = await createTestDatabase(server);
  return { db: await PostgresDatabase.connect({ url: t.url, poolMax: 6 }), drop: t.drop };
}

async function scheduledRuns(db: SqlDatabase, scheduleId: string): Promise<string[]> {
  const { rows } = await db.query<{ tick: string }>(
    `SELECT trigger->'metadata'->>'tick' AS tick FROM test_executions WHERE trigger->'metadata'->>'scheduleId' = $1 ORDER BY 1`,
    [scheduleId],
  );
  return rows.map((r) => r.tick);
}

describe('cron in time zones, and capacity windows', () => {
  it("gives the next ticks in the schedule's zone, daylight saving included", () => {
    // 09:00 in Paris on weekdays: 08:00 UTC in winter; Monday 2026-11-23 09:30 Paris is past it.
    expect(
      nextTicks('0 9 * * 1-5', 'Europe/Paris', 3, new Date('2026-11-23T08:30:00Z')).map((d) =>
        d.toISOString(),
      ),
    ).toEqual(['2026-11-24T08:00:00.000Z', '2026-11-25T08:00:00.000Z', '2026-11-26T08:00:00.000Z']);
    // In summer the same wall clock is 07:00 UTC.
    expect(nextTick('0 9 * * *', 'Europe/Paris', new Date('2026-07-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(() => nextTick('61 * * * *', 'UTC')).toThrow(/minute/);
    expect(() => nextTick('* * * * *', 'Mars/Olympus')).toThrow(/not a time zone/);
  });

  it('tells whether an HH:MM window is open, across midnight too', () => {
    const at = new Date('2026-11-23T23:30:00Z');
    expect(inWindow('22:00', '06:00', 'UTC', at)).toBe(true);
    expect(inWindow('08:00', '18:00', 'UTC', at)).toBe(false);
    // 23:30 UTC is 08:30 the next day in Tokyo.
    expect(inWindow('08:00', '18:00', 'Asia/Tokyo', at)).toBe(true);
  });
});

describe('the scheduler', () => {
  let db: SqlDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await openDatabase());
    await new Migrator(db).migrate();
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('fires a tick missed while nothing ran once, not once per missed tick, and moves to the next', async () => {
    const { ws, suite } = await seedSuite(db, 'missed');
    const repo = new ScheduleRepository(db);
    // Every minute, last due ten minutes ago: ten ticks went by while everything was down.
    const s = await repo.create(
      ws.id,
      suite.id,
      { name: 'minutely', cron: '* * * * *', timezone: 'UTC', branch: 'main', isActive: true },
      new Date(Date.now() - 10 * 60_000),
      null,
    );
    const scheduler = new Scheduler({ db, locks: new InProcessLockManager(), log });
    expect(await scheduler.fireDue()).toBe(1);
    expect(await scheduler.fireDue()).toBe(0);
    const after = (await repo.get(ws.id, s.id))!;
    expect(new Date(after.nextRunAt!).getTime()).toBeGreaterThan(Date.now());
    expect(after.lastRunAt).not.toBeNull();
    expect(await scheduledRuns(db, s.id)).toHaveLength(1);
    const { rows } = await db.query(
      `SELECT trigger FROM test_executions WHERE trigger->'metadata'->>'scheduleId' = $1`,
      [s.id],
    );
    expect(rows[0].trigger).toMatchObject({ type: 'scheduled', source: 'schedule:minutely', branch: 'main' });
  });

  it('skips the tick of a suite that cannot run, and goes on', async () => {
    const { ws, suite } = await seedSuite(db, 'inactive');
    await db.query('UPDATE test_suites SET is_active = false WHERE id = $1', [suite.id]);
    const repo = new ScheduleRepository(db);
    const s = await repo.create(
      ws.id,
      suite.id,
      { name: 'off', cron: '* * * * *', timezone: 'UTC', branch: null, isActive: true },
      new Date(Date.now() - 1000),
      null,
    );
    expect(await new Scheduler({ db, locks: new InProcessLockManager(), log }).fireDue()).toBe(0);
    const after = (await repo.get(ws.id, s.id))!;
    expect(after.lastRunAt).toBeNull();
    expect(new Date(after.nextRunAt!).getTime()).toBeGreaterThan(Date.now());
  });

  describeWithServer('redis', 'with several orchestrators (Redis leader lock)', (redisUrl) => {
    it('fires each tick exactly once while two run, and the survivor takes over when the leader dies', async () => {
      const { ws, suite } = await seedSuite(db, 'leader');
      const prefix = uniqueName('sched');
      // Every second.
      const s = await new ScheduleRepository(db).create(
        ws.id,
        suite.id,
        { name: 'each-second', cron: '* * * * * *', timezone: 'UTC', branch: null, isActive: true },
        nextTick('* * * * * *', 'UTC'),
        null,
      );
      const locksA = new RedisLockManager(new Redis(redisUrl), prefix, true);
      const locksB = new RedisLockManager(new Redis(redisUrl), prefix, true);
      const a = new Scheduler({ db, locks: locksA, log }, { tickMs: 100, leaseMs: 1500 });
      const b = new Scheduler({ db, locks: locksB, log }, { tickMs: 100, leaseMs: 1500 });
      a.start();
      b.start();
      try {
        await waitFor(async () => (await scheduledRuns(db, s.id)).length >= 3, 10_000, 'three ticks');
        expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
        const [leader, survivor] = a.isLeader ? [a, b] : [b, a];
        // The leader dies without letting go: its lock runs out and the other takes over.
        await (leader === a ? locksA : locksB).close();
        await leader.stop();
        const before = (await scheduledRuns(db, s.id)).length;
        await waitFor(
          async () => (await scheduledRuns(db, s.id)).length >= before + 3,
          15_000,
          'ticks after the handover',
        );
        expect(survivor.isLeader).toBe(true);
      } finally {
        await a.stop();
        await b.stop();
        await locksA.close().catch(() => undefined);
        await locksB.close().catch(() => undefined);
      }
      const ticks = await scheduledRuns(db, s.id);
      expect(new Set(ticks).size).toBe(ticks.length);
    }, 40_000);
  });
});
