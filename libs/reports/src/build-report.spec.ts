import { ReportExtra, type ResultStatus } from '@verdict/contracts';
import {
  ExecutionRepository,
  Migrator,
  ResultRepository,
  TestCaseRepository,
  type SqlDatabase,
} from '@verdict/db';
import { parseJunit } from '@verdict/report-formats';
import { freshPglite, seedSuite } from '@verdict/testing';
import { buildReport } from './build-report';
import { renderHtml } from './render/html';
import { renderJunit } from './render/junit';

describe('buildReport', () => {
  let db: SqlDatabase;
  let ctx: Awaited<ReturnType<typeof seedSuite>>;
  beforeEach(async () => {
    db = await freshPglite();
    await new Migrator(db).migrate();
    ctx = await seedSuite(db);
  });
  afterEach(() => db.close());

  /** An ended run of the suite on `branch` at `commit`, `minutesAgo`, with these results. */
  async function run(
    results: Record<string, ResultStatus | 'flaky'>,
    opts: { commit?: string; branch?: string; minutesAgo: number; durationMs?: number },
  ) {
    const e = await new ExecutionRepository(db).create({
      workspaceId: ctx.ws.id,
      suiteId: ctx.suite.id,
      trigger: { type: 'ci', source: 'test', branch: opts.branch ?? 'main', commit: opts.commit },
      config: { parallel: true, workers: 1, timeout: 1000, retries: 1, dryRun: false, debug: false },
    });
    const keys = Object.keys(results);
    const ids = await new TestCaseRepository(db).upsertMany(
      ctx.suite.id,
      keys.map((k) => ({ testKey: k, name: k.split('::')[1], filePath: k.split('::')[0] })),
    );
    await new ResultRepository(db).insertBatch(
      keys.map((k, i) => {
        const v = results[k];
        const status: ResultStatus = v === 'flaky' ? 'passed' : v;
        const failing = status === 'failed' || status === 'broken';
        return {
          executionId: e.id,
          testCaseId: ids.get(k)!,
          shardIndex: 0,
          status,
          duration: { setup: 0, execution: 10 * (i + 1), teardown: 0, total: 10 * (i + 1) },
          error: failing
            ? {
                name: 'AssertionError',
                message: `${k} broke`,
                stack: 'at test.js:1:1',
                diff: { expected: 4, actual: 5 },
              }
            : null,
          attempts:
            v === 'flaky'
              ? [
                  { attempt: 1, status: 'failed', duration: 5 },
                  { attempt: 2, status: 'passed', duration: 5 },
                ]
              : [{ attempt: 1, status, duration: 10 }],
          flaky: v === 'flaky',
        };
      }),
    );
    const failed = keys.filter((k) => ['failed', 'broken'].includes(results[k])).length;
    await db.query(
      `UPDATE test_executions SET status = $2::text, queued_at = now() - make_interval(mins => $3::int),
         completed_at = now() - make_interval(mins => $3::int) + interval '30 seconds', duration_ms = $4::int,
         total = $5::int, passed = $6::int, failed = $7::int WHERE id = $1`,
      [
        e.id,
        failed ? 'failed' : 'completed',
        opts.minutesAgo,
        opts.durationMs ?? 30_000,
        keys.length,
        keys.length - failed,
        failed,
      ],
    );
    return e.id;
  }

  it('finds new failures, fixed and still-failing tests against the previous run, flaky tests, the slowest and the trend', async () => {
    // Earlier runs on main: "wobbly" passes and fails at one commit (flaky across runs).
    await run(
      { 'a.js::wobbly': 'passed', 'a.js::stuck': 'failed', 'b.js::mended': 'failed' },
      { commit: 'c1', minutesAgo: 30, durationMs: 20_000 },
    );
    await run(
      { 'a.js::wobbly': 'failed', 'a.js::stuck': 'failed', 'b.js::mended': 'failed' },
      { commit: 'c1', minutesAgo: 20, durationMs: 25_000 },
    );
    await run({ 'a.js::wobbly': 'failed' }, { branch: 'other', commit: 'c9', minutesAgo: 15 }); // another branch: ignored
    const now = await run(
      {
        'a.js::wobbly': 'passed',
        'a.js::stuck': 'failed',
        'b.js::mended': 'passed',
        'b.js::fresh': 'broken',
        'c.js::retried': 'flaky',
        'c.js::skipped': 'skipped',
      },
      { commit: 'c2', minutesAgo: 10, durationMs: 30_000 },
    );
    const report = await buildReport(db, now);
    const x = ReportExtra.parse(report.extra);
    expect(report.summary).toEqual({
      total: 6,
      passed: 3,
      failed: 2,
      skipped: 1,
      duration: 30_000,
      passRate: 0.5,
    });
    expect(x.newFailures).toEqual(['b.js::fresh']);
    expect(x.fixed).toEqual(['b.js::mended']);
    expect(x.stillFailing).toEqual(['a.js::stuck']);
    expect(x.flaky).toEqual(
      expect.arrayContaining([
        { key: 'c.js::retried', reason: 'retry' },
        { key: 'a.js::wobbly', reason: 'history' },
      ]),
    );
    expect(x.flaky).toHaveLength(2);
    expect(
      x.tests
        .slice(0, 2)
        .map((t) => t.status)
        .sort(),
    ).toEqual(['broken', 'failed']); // failures first
    expect(x.tests[2].key).toBe('c.js::retried'); // then flaky
    expect(x.slowest[0]).toEqual({ key: 'c.js::skipped', durationMs: 60 });
    expect(x.trend.map((t) => t.durationMs)).toEqual([20_000, 25_000, 30_000]);
    expect(x.files.find((f) => f.file === 'b.js')).toMatchObject({ tests: 2, passed: 1, failed: 1 });
    expect(report.details.failures.find((f) => f.test === 'b.js › fresh')).toMatchObject({
      error: 'b.js::fresh broke',
      diff: { expected: 4, actual: 5 },
    });

    // The JUnit rendering is JUnit: it reads back with the same counts.
    const junit = parseJunit(renderJunit(report));
    expect(junit).toHaveLength(6);
    expect(junit.filter((t) => t.status === 'broken')[0]).toMatchObject({ file: 'b.js', name: 'fresh' });
    // The HTML carries everything inline.
    const html = renderHtml(report);
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=|https?:\/\//);
    expect(html).toContain('b.js::fresh');
  });

  it('on a first run every failure is new, and a branch without a commit has no flakiness across runs', async () => {
    const id = await run({ 'a.js::one': 'failed', 'a.js::two': 'passed' }, { minutesAgo: 5 });
    const x = ReportExtra.parse((await buildReport(db, id)).extra);
    expect(x).toMatchObject({
      previousExecutionId: null,
      newFailures: ['a.js::one'],
      fixed: [],
      stillFailing: [],
      flaky: [],
    });
  });

  it('escapes what tests name and say, so a report cannot run what a test wrote', async () => {
    const id = await run({ 'x.js::<script>alert(1)</script>': 'failed' }, { minutesAgo: 1 });
    const html = renderHtml(await buildReport(db, id));
    expect(html).not.toContain('<script>alert(1)</script>');
    expect((html.match(/<script\b/g) ?? []).length).toBe(2); // the data and the page's own
  });
});
