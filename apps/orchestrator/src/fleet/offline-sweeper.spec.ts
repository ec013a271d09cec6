import { InProcessBus } from '@verdict/bus';
import { createLogger } from '@verdict/config';
import { Migrator, NodeRepository, type SqlDatabase } from '@verdict/db';
import { SqlMetricsWriter } from '@verdict/metrics';
import { InProcessJobQueue, InProcessLockManager } from '@verdict/queue';
import { freshPglite } from '@verdict/testing';
import { OfflineSweeper } from './offline-sweeper';

describe('OfflineSweeper', () => {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = await freshPglite();
    await new Migrator(db).migrate();
  });
  afterEach(() => db.close());

  it('takes a silent node offline, gives its job back, and records a fleet point per pool', async () => {
    const queue = new InProcessJobQueue();
    const bus = new InProcessBus();
    const metrics = new SqlMetricsWriter(db, { flushMs: 60_000 });
    const nodes = new NodeRepository(db);
    const silent = await nodes.register({
      apiKey: 'key-silent-0000000',
      name: 'silent',
      pool: 'linux',
      labels: {},
    });
    await nodes.register({ apiKey: 'key-alive-00000000', name: 'alive', pool: 'linux', labels: {} });
    await db.query(`UPDATE nodes SET last_heartbeat_at = now() - interval '1 minute' WHERE id = $1`, [
      silent.id,
    ]);
    await queue.enqueue({
      pool: 'linux',
      priority: 5,
      executionId: '00000000-0000-4000-8000-000000000001',
      payload: {},
    });
    const leased = await queue.lease('linux', silent.id, 60_000);
    await queue.enqueue({
      pool: 'linux',
      priority: 5,
      executionId: '00000000-0000-4000-8000-000000000002',
      payload: {},
    });

    const sweeper = new OfflineSweeper(
      { db, bus, queue, locks: new InProcessLockManager(), log: createLogger('silent'), metrics },
      15_000,
    );
    expect(await sweeper.sweep()).toEqual([silent.id]);
    expect((await nodes.get(silent.id))?.status).toBe('OFFLINE');
    expect((await queue.get(leased!.job.id))?.state).toBe('queued'); // back on the queue at once

    await metrics.flush();
    const points = await metrics.query({
      measurement: 'fleet',
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 1000),
      tags: { pool: 'linux' },
    });
    expect(points.map((p) => p.fields)).toEqual([{ online: 1, busy: 0, offline: 1, queued: 2, desired: 2 }]);
    await metrics.close();
    await queue.close();
    await bus.close();
  });
});
