import { randomUUID } from 'node:crypto';
import { createLogger } from '@verdict/config';
import { buildMessage, type ResultStatus } from '@verdict/contracts';
import { ExecutionRepository, Migrator, ShardRepository, type SqlDatabase } from '@verdict/db';
import { SqlMetricsWriter } from '@verdict/metrics';
import { InProcessCache } from '@verdict/queue';
import { freshPglite, resultItem, seedSuite } from '@verdict/testing';
import { onResultBatchHandler } from './on-result-batch.handler';

describe('onResultBatchHandler', () => {
  let db: SqlDatabase;
  let handle: ReturnType<typeof onResultBatchHandler>;
  let metrics: SqlMetricsWriter;
  let cache: InProcessCache;
  let ctx: Awaited<ReturnType<typeof seedSuite>> & { executionId: string };

  beforeEach(async () => {
    db = await freshPglite();
    await new Migrator(db).migrate();
    const s = await seedSuite(db);
    const e = await new ExecutionRepository(db).create({
      workspaceId: s.ws.id,
      suiteId: s.suite.id,
      trigger: { type: 'ci', source: 'test', branch: 'main', commit: 'abc123' },
      config: { parallel: true, workers: 2, timeout: 1000, retries: 0, dryRun: false, debug: false },
    });
    await new ExecutionRepository(db).transition(e.id, ['queued'], 'running');
    await new ShardRepository(db).createAll(
      e.id,
      {
        shards: [0, 1].map((index) => ({ index, files: [`f${index}`], predictedMs: 0 })),
        predictedBalance: 1,
        strategy: 'count',
      },
      [randomUUID(), randomUUID()],
    );
    ctx = { ...s, executionId: e.id };
    metrics = new SqlMetricsWriter(db, { flushMs: 60_000 });
    cache = new InProcessCache();
    handle = onResultBatchHandler({ db, metrics, cache, log: createLogger('silent') });
  });
  afterEach(async () => {
    await metrics.close();
    await cache.close();
    await db.close();
  });

  const batch = (shardIndex: number, status: ResultStatus, from: number, count: number, shardTotal: number) =>
    buildMessage(
      'result.batch',
      {
        executionId: ctx.executionId,
        suiteId: ctx.suite.id,
        shardIndex,
        nodeId: null,
        status,
        shardTotal,
        results: Array.from({ length: count }, (_, i) => ({
          ...resultItem(status, from + i),
          testKey: `f${shardIndex}::t${from + i}`,
          filePath: `f${shardIndex}`,
        })),
      },
      { workspaceId: ctx.ws.id },
    ).envelope;

  const outboxCompleted = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE type = 'execution.completed'`,
      )
    ).rows[0].n;

  it('stores a batch once: a redelivery changes no row and no counter', async () => {
    const b = batch(0, 'passed', 0, 3, 5);
    await handle(b);
    await handle(b);
    const e = (await new ExecutionRepository(db).get(ctx.executionId))!;
    expect(e.progress).toMatchObject({ completed: 3, passed: 3, failed: 0 });
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_results')).rows[0].n).toBe(3);
    const history = await db.query<{ runs: number; passes: number }>(
      'SELECT runs, passes FROM test_cases ORDER BY test_key',
    );
    expect(history.rows).toEqual([
      { runs: 1, passes: 1 },
      { runs: 1, passes: 1 },
      { runs: 1, passes: 1 },
    ]);
    expect(await cache.get(`progress:${ctx.executionId}`)).toMatchObject({ completed: 3 });
    expect(e.status).toBe('running');
  });

  it('ends the execution when the last shard is complete, with execution.completed exactly once', async () => {
    await Promise.all([handle(batch(0, 'passed', 0, 2, 3)), handle(batch(1, 'passed', 0, 2, 2))]);
    expect(await outboxCompleted()).toBe(0);
    const last = batch(0, 'failed', 2, 1, 3);
    await Promise.all([handle(last), handle(last)]);
    await handle(last);
    const e = (await new ExecutionRepository(db).get(ctx.executionId))!;
    expect(e.status).toBe('failed');
    expect(e.progress).toEqual({ total: 5, completed: 5, passed: 4, failed: 1, skipped: 0, pending: 0 });
    expect(await outboxCompleted()).toBe(1);
    const { rows } = await db.query<{
      envelope: { payload: { status: string; progress: { failed: number } } };
    }>(`SELECT envelope FROM outbox WHERE type = 'execution.completed'`);
    expect(rows[0].envelope.payload).toMatchObject({ status: 'failed', progress: { failed: 1 } });
    await metrics.flush();
    const points = await metrics.query({
      measurement: 'test_execution',
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 1000),
      tags: { suite_id: ctx.suite.id },
    });
    expect(points).toHaveLength(5);
    expect(points[0].tags).toMatchObject({ branch: 'main', commit: 'abc123' });
    const summary = await metrics.query({
      measurement: 'execution_summary',
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 1000),
    });
    expect(summary.map((p) => p.fields)).toEqual([
      {
        total: 5,
        passed: 4,
        failed: 1,
        skipped: 0,
        flaky: 0,
        duration_ms: expect.any(Number),
        pass_rate: 0.8,
      },
    ]);
  });

  it('stores messages that arrive together in one transaction; a bad one fails alone', async () => {
    const poison = batch(1, 'passed', 0, 1, 2);
    (poison.payload as { results: { name: string }[] }).results[0].name = 'x'.repeat(2000); // longer than the column
    const outcomes = await Promise.allSettled([
      handle(batch(0, 'passed', 0, 2, 3)),
      handle(poison),
      handle(batch(0, 'failed', 2, 1, 3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const e = (await new ExecutionRepository(db).get(ctx.executionId))!;
    expect(e.progress).toMatchObject({ completed: 3, passed: 2, failed: 1 });
    expect(e.status).toBe('running'); // shard 1 is still to come
    await handle(batch(1, 'passed', 0, 2, 2));
    expect((await new ExecutionRepository(db).get(ctx.executionId))!.status).toBe('failed');
    expect(await outboxCompleted()).toBe(1);
  });

  it('counts a test run twice in one group once in its history, and a later run on top', async () => {
    const b = batch(0, 'passed', 0, 2, 2);
    await Promise.all([handle(b), handle(b)]);
    const history = async () =>
      (
        await db.query<{ runs: number; passes: number }>(
          `SELECT runs, passes FROM test_cases WHERE test_key = 'f0::t0'`,
        )
      ).rows[0];
    expect(await history()).toEqual({ runs: 1, passes: 1 });
    const next = await new ExecutionRepository(db).create({
      workspaceId: ctx.ws.id,
      suiteId: ctx.suite.id,
      trigger: { type: 'manual', source: 'test' },
      config: { parallel: true, workers: 1, timeout: 1000, retries: 0, dryRun: false, debug: false },
    });
    await handle({ ...b, payload: { ...(b.payload as object), executionId: next.id } });
    expect(await history()).toEqual({ runs: 2, passes: 2 });
  });

  it('ignores results of an execution that no longer exists', async () => {
    await db.query('DELETE FROM test_executions');
    await expect(handle(batch(0, 'passed', 0, 1, 1))).resolves.toBeUndefined();
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_results')).rows[0].n).toBe(0);
  });
});
