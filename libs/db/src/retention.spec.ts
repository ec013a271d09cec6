import { freshPglite, seedSuite } from '@verdict/testing';
import { Migrator } from './migrations/migrator';
import { ExecutionRepository } from './repositories/execution.repository';
import { ResultRepository } from './repositories/result.repository';
import { TestCaseRepository } from './repositories/test-case.repository';
import { cleanupExpired, loadRetentionPolicy } from './retention';
import { seed } from './seed';
import type { SqlDatabase } from './sql-database.port';

describe('retention cleanup', () => {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = await freshPglite();
    await new Migrator(db).migrate();
    await seed(db, { admin: { username: 'admin', email: 'a@example.com', password: 'pw' } });
  });
  afterEach(() => db.close());

  /** An execution that ended `daysAgo` days ago (or is still running), with one result per status. */
  async function run(s: Awaited<ReturnType<typeof seedSuite>>, status: string, daysAgo: number) {
    const e = await new ExecutionRepository(db).create({
      workspaceId: s.ws.id,
      suiteId: s.suite.id,
      trigger: { type: 'manual', source: 'test' },
      config: { parallel: true, workers: 1, timeout: 1000, retries: 0, dryRun: false, debug: false },
    });
    await db.query(
      `UPDATE test_executions SET status = $2::text, queued_at = now() - make_interval(days => $3::int),
         completed_at = CASE WHEN $2::text IN ('running', 'queued') THEN NULL ELSE now() - make_interval(days => $3::int) END
       WHERE id = $1`,
      [e.id, status, daysAgo],
    );
    const ids = await new TestCaseRepository(db).upsertMany(s.suite.id, [
      { testKey: 'a::ok', name: 'ok', filePath: 'a' },
      { testKey: 'a::bad', name: 'bad', filePath: 'a' },
    ]);
    const result = (key: string, st: 'passed' | 'failed') => ({
      executionId: e.id,
      testCaseId: ids.get(key)!,
      shardIndex: 0,
      status: st,
      duration: { setup: 0, execution: 1, teardown: 0, total: 1 },
      error: null,
      attempts: [],
      flaky: false,
    });
    await new ResultRepository(db).insertBatch([result('a::ok', 'passed'), result('a::bad', 'failed')]);
    return e.id;
  }
  const left = async () =>
    (
      await db.query<{ id: string; results: string }>(
        `SELECT e.id, coalesce(string_agg(r.status, ',' ORDER BY r.status), '') AS results
         FROM test_executions e LEFT JOIN test_results r ON r.execution_id = e.id GROUP BY e.id`,
      )
    ).rows.reduce<Record<string, string>>((m, r) => ({ ...m, [r.id]: r.results }), {});

  it('deletes only what is older than its period; failures are kept longer, unfinished runs never', async () => {
    const s = await seedSuite(db);
    const policy = await loadRetentionPolicy(db);
    expect(policy).toEqual({
      executionsDays: 90,
      failedExecutionsDays: 180,
      resultsDays: 30,
      failedResultsDays: 90,
      metricsDays: 7,
    });
    const fresh = await run(s, 'completed', 29);
    const month = await run(s, 'completed', 31); // passed results go, failed stay
    const quarter = await run(s, 'completed', 91); // the run goes
    const failedQuarter = await run(s, 'failed', 91); // a failed run stays 180 days
    const failedYear = await run(s, 'failed', 181);
    const stuck = await run(s, 'running', 400); // never: it has not ended
    // CI delivery records go with the runs they started.
    await db.query(
      `INSERT INTO ci_hook_deliveries (provider, delivery_id, event, received_at) VALUES
         ('github', 'old', 'push', now() - interval '91 days'), ('github', 'new', 'push', now() - interval '89 days')`,
    );

    const dry = await cleanupExpired(db, policy, { dryRun: true });
    expect(dry).toMatchObject({ executions: 2 });
    expect(Object.keys(await left())).toHaveLength(6);

    const out = await cleanupExpired(db, policy);
    expect(out).toMatchObject({ executions: 2, hookDeliveries: 1 });
    expect((await db.query('SELECT delivery_id FROM ci_hook_deliveries')).rows).toEqual([
      { delivery_id: 'new' },
    ]);
    expect(await left()).toEqual({
      [fresh]: 'failed,passed',
      [month]: 'failed',
      [failedQuarter]: '',
      [stuck]: 'failed,passed',
    });
    expect(Object.keys(await left())).not.toContain(quarter);
    expect(Object.keys(await left())).not.toContain(failedYear);
    // Run again: nothing more goes.
    expect(await cleanupExpired(db, policy)).toEqual({
      executions: 0,
      results: 0,
      metricPoints: 0,
      heartbeats: 0,
      hookDeliveries: 0,
    });
  });

  it('--days replaces the default periods but never shortens those of failures', async () => {
    const s = await seedSuite(db);
    const week = await run(s, 'completed', 8);
    const failedWeek = await run(s, 'failed', 8);
    const policy = await loadRetentionPolicy(db, 7);
    expect(policy).toMatchObject({
      executionsDays: 7,
      resultsDays: 7,
      failedExecutionsDays: 180,
      failedResultsDays: 90,
    });
    await cleanupExpired(db, policy);
    // The failed run stays; its passing results follow the 7 days, its failures the failure period.
    expect(await left()).toEqual({ [failedWeek]: 'failed' });
    expect(Object.keys(await left())).not.toContain(week);
  });
});
