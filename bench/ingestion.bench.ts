// Ingestion: results/s from messages waiting on RabbitMQ to rows committed in Postgres.
// 200,000 results (RESULTS to change) in result.batch messages of 500, over 40 shards, all
// published first; then ingestion starts and the clock runs until the last row is committed
// and the execution has ended. Metrics are off here (InfluxDB in production; not on this machine).
// Usage: npm run bench:ingestion
import { randomUUID } from 'node:crypto';
import { RabbitMqBus } from '@verdict/bus';
import { createLogger } from '@verdict/config';
import {
  ExecutionRepository,
  Migrator,
  OutboxRepository,
  PostgresDatabase,
  ShardRepository,
} from '@verdict/db';
import { startIngestion } from '@verdict/ingestion';
import { OffMetricsWriter } from '@verdict/metrics';
import { InProcessCache } from '@verdict/queue';
import { createTestDatabase, seedSuite } from '@verdict/testing';
import { BENCH, rate, report } from './bench-env';

const RESULTS = Number(process.env.RESULTS ?? 200_000);
const PER_MESSAGE = 500;
const SHARDS = 40;

void (async () => {
  const { url, drop } = await createTestDatabase(BENCH.databaseUrl);
  const db = await PostgresDatabase.connect({ url, poolMax: 8 });
  await new Migrator(db).migrate();
  const { ws, suite } = await seedSuite(db, 'bench');
  const execution = await new ExecutionRepository(db).create({
    workspaceId: ws.id,
    suiteId: suite.id,
    trigger: { type: 'manual', source: 'bench' },
    config: { parallel: true, workers: SHARDS, timeout: 60_000, retries: 0, dryRun: false, debug: false },
  });
  await new ExecutionRepository(db).transition(execution.id, ['queued'], 'running');
  const perShard = RESULTS / SHARDS;
  await new ShardRepository(db).createAll(
    execution.id,
    {
      shards: Array.from({ length: SHARDS }, (_, index) => ({
        index,
        files: [`f${index}.spec.ts`],
        predictedMs: 0,
      })),
      predictedBalance: 1,
      strategy: 'count',
    },
    Array.from({ length: SHARDS }, () => randomUUID()),
  );

  const namespace = `bench-${randomUUID().slice(0, 8)}.`;
  const bus = await RabbitMqBus.connect({ url: BENCH.amqpUrl, namespace, prefetch: 4 });
  // Declare ingestion's queue first so the published messages wait in it.
  const declare = await bus.subscribe({
    queue: 'ingestion.results',
    bindings: [{ exchange: 'test.results', pattern: 'result.*' }],
    handler: async () => Promise.reject(new Error('not yet')),
  });
  await declare.cancel();
  const publishStarted = performance.now();
  for (let shard = 0; shard < SHARDS; shard++) {
    for (let i = 0; i < perShard; i += PER_MESSAGE) {
      const status = i % (PER_MESSAGE * 10) === 0 ? 'failed' : 'passed';
      await bus.publish(
        'result.batch',
        {
          executionId: execution.id,
          suiteId: suite.id,
          shardIndex: shard,
          nodeId: null,
          status,
          shardTotal: perShard,
          results: Array.from({ length: PER_MESSAGE }, (_, j) => ({
            testKey: `f${shard}.spec.ts::test ${i + j}`,
            name: `test ${i + j}`,
            filePath: `f${shard}.spec.ts`,
            status,
            duration: { setup: 0, execution: 12, teardown: 0, total: 12 },
            error:
              status === 'failed'
                ? { name: 'AssertionError', message: 'expected 1 to be 2', stack: 'at f.spec.ts:1:1' }
                : null,
            attempts: [{ attempt: 1, status, duration: 12 }],
            flaky: false,
          })),
        },
        { workspaceId: ws.id },
      );
    }
  }
  const publishMs = performance.now() - publishStarted;

  const started = performance.now();
  const ingestion = await startIngestion({
    db,
    bus,
    docstore: undefined as never,
    metrics: new OffMetricsWriter(),
    cache: new InProcessCache(),
    log: createLogger('warn'),
  });
  for (;;) {
    const e = (await new ExecutionRepository(db).get(execution.id))!;
    if (e.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const ms = performance.now() - started;
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM test_results WHERE execution_id = $1',
    [execution.id],
  );
  if (Number(rows[0].n) !== RESULTS) throw new Error(`expected ${RESULTS} rows, found ${rows[0].n}`);
  const completed = await new OutboxRepository(db).countPending();
  report('ingestion: result.batch on RabbitMQ → rows committed in Postgres', [
    {
      phase: 'publish (confirms)',
      results: RESULTS,
      messages: RESULTS / PER_MESSAGE,
      seconds: +(publishMs / 1000).toFixed(2),
      'results/s': rate(RESULTS, publishMs),
    },
    {
      phase: 'ingest until the execution ended',
      results: RESULTS,
      messages: RESULTS / PER_MESSAGE,
      seconds: +(ms / 1000).toFixed(2),
      'results/s': rate(RESULTS, ms),
      'completion messages': completed,
    },
  ]);
  await ingestion.stop();
  await bus.deleteDeclaredQueues();
  await bus.close();
  await db.close();
  await drop();
})();
