// Dispatch latency: trigger (execution row + outbox) → relay → request.new → planner → first
// shard job leased, p50 and p99 over 200 executions (RUNS to change), in both modes:
// embedded (PGlite, in-process bus and queue) and on the real servers (PostgreSQL, RabbitMQ, Redis).
// Usage: npm run bench:dispatch
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { createLogger, loadConfig } from '@verdict/config';
import { Migrator, PgliteDatabase, PostgresDatabase, type SqlDatabase } from '@verdict/db';
import { startOrchestrator, triggerExecution } from '@verdict/orchestrator';
import { openPlatform } from '@verdict/platform';
import { SuiteRepository } from '@verdict/db';
import { createTestDatabase, seedSuite } from '@verdict/testing';
import { BENCH, report } from './bench-env';

const RUNS = Number(process.env.RUNS ?? 200);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function measure(mode: string, env: Record<string, string>, db: SqlDatabase) {
  const config = loadConfig({
    ...env,
    VERDICT_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-dispatch-')),
    METRICS_ENABLED: 'false',
  });
  const log = createLogger('warn');
  const platform = await openPlatform(config, log, db);
  await new Migrator(db).migrate();
  const { queue, locks } = platform.coordination;
  const orchestrator = await startOrchestrator({
    db,
    bus: platform.bus,
    queue,
    locks,
    log,
    offlineAfterMs: 60_000,
    dataDir: config.dataDir,
  });
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-dispatch-project-'));
  fs.mkdirSync(path.join(project, 'test'));
  fs.writeFileSync(path.join(project, 'test/a.test.js'), '');
  const { ws } = await seedSuite(db, 'dispatch');
  const pool = `dispatch-${randomUUID().slice(0, 8)}`;
  const project2 = await db.query<{ id: string }>('SELECT id FROM projects WHERE workspace_id = $1', [ws.id]);
  const suite = await new SuiteRepository(db).create({
    workspaceId: ws.id,
    projectId: project2.rows[0].id,
    name: 'dispatch',
    type: 'unit',
    run: {
      source: { type: 'local', path: project },
      command: 'true {files}',
      reportFormat: 'node-test',
      env: {},
    },
    config: { pool, shards: 1 },
    selectors: { include: ['test/*.test.js'] },
  });
  const latencies: number[] = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const started = performance.now();
    await triggerExecution(db, {
      workspaceId: ws.id,
      suiteId: suite.id,
      trigger: { type: 'manual', source: 'bench' },
    });
    orchestrator.relay.nudge();
    for (;;) {
      const lease = await queue.lease(pool, 'bench', 60_000);
      if (lease) {
        if (i >= 5) latencies.push(performance.now() - started); // the first 5 warm up
        await queue.ack(lease);
        break;
      }
      await new Promise((r) => setImmediate(r));
    }
  }
  await orchestrator.stop();
  await platform.close();
  latencies.sort((a, b) => a - b);
  return {
    mode,
    executions: RUNS,
    'p50 ms': +pct(latencies, 50).toFixed(1),
    'p99 ms': +pct(latencies, 99).toFixed(1),
    'max ms': +latencies[latencies.length - 1].toFixed(1),
  };
}

void (async () => {
  const rows = [
    await measure('embedded (PGlite, in-process bus and queue)', {}, await PgliteDatabase.open()),
  ];
  const { url, drop } = await createTestDatabase(BENCH.databaseUrl);
  const ns = `dispatch-${randomUUID().slice(0, 8)}`;
  rows.push(
    await measure(
      'real servers (PostgreSQL, RabbitMQ, Redis)',
      {
        DATABASE_URL: url,
        AMQP_URL: BENCH.amqpUrl,
        AMQP_NAMESPACE: `${ns}.`,
        REDIS_URL: BENCH.redisUrl,
        REDIS_PREFIX: `${ns}:`,
      },
      await PostgresDatabase.connect({ url }),
    ),
  );
  await drop();
  // The orchestrator's queues under the run's namespace go too.
  const conn = await amqp.connect(BENCH.amqpUrl);
  const ch = await conn.createChannel();
  for (const suffix of ['', '.parked', '.retry.1000', '.retry.5000', '.retry.30000'])
    await ch.deleteQueue(`${ns}.orchestrator.plan${suffix}`);
  await conn.close();
  report('dispatch: trigger → first shard job leased', rows);
  process.exit(0);
})();
