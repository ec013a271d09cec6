// Report: build (queries + analysis) and renderings for an execution of 20,000 results with
// 500 failures, on the real PostgreSQL, with a previous run of the same suite and branch to
// compare against (new failures, fixed, flaky across runs). Best of 5 runs of each step.
// Usage: npm run bench:report
import { createTestDatabase, seedSuite } from '@verdict/testing';
import {
  ExecutionRepository,
  Migrator,
  PostgresDatabase,
  ResultRepository,
  TestCaseRepository,
} from '@verdict/db';
import { buildReport, renderHtml, renderJunit } from '@verdict/reports';
import { BENCH, report } from './bench-env';

const TESTS = Number(process.env.TESTS ?? 20_000);
const FAILURES = Number(process.env.FAILURES ?? 500);

void (async () => {
  const { url, drop } = await createTestDatabase(BENCH.databaseUrl);
  const db = await PostgresDatabase.connect({ url });
  await new Migrator(db).migrate();
  const { ws, suite } = await seedSuite(db, 'bench');
  const keys = Array.from({ length: TESTS }, (_, i) => ({
    testKey: `test/area-${Math.floor(i / 100)}.test.js::case ${i}`,
    name: `case ${i}`,
    filePath: `test/area-${Math.floor(i / 100)}.test.js`,
  }));
  const ids = await new TestCaseRepository(db).upsertMany(suite.id, keys);
  const runs: string[] = [];
  for (const [n, failOffset] of [
    [0, 100],
    [1, 0],
  ]) {
    const e = await new ExecutionRepository(db).create({
      workspaceId: ws.id,
      suiteId: suite.id,
      trigger: { type: 'ci', source: 'bench', branch: 'main', commit: `c${n}` },
      config: { parallel: true, workers: 8, timeout: 60_000, retries: 1, dryRun: false, debug: false },
    });
    await new ResultRepository(db).insertBatch(
      keys.map((k, i) => {
        const failed = i >= failOffset && i < failOffset + FAILURES;
        return {
          executionId: e.id,
          testCaseId: ids.get(k.testKey)!,
          shardIndex: i % 8,
          status: failed ? ('failed' as const) : ('passed' as const),
          duration: { setup: 0, execution: (i * 37) % 2000, teardown: 0, total: (i * 37) % 2000 },
          error: failed
            ? {
                name: 'AssertionError',
                message: `expected ${i} to equal ${i + 1}`,
                stack: `AssertionError\n    at ${k.filePath}:10:5\n    at run (node:internal/test:1:1)`,
                diff: { expected: i + 1, actual: i },
              }
            : null,
          attempts: [
            { attempt: 1, status: failed ? ('failed' as const) : ('passed' as const), duration: 10 },
          ],
          flaky: i % 400 === 399,
        };
      }),
    );
    await db.query(
      `UPDATE test_executions SET status = 'failed', queued_at = now() - make_interval(mins => $2::int),
         completed_at = now(), duration_ms = 300000, total = $3::int, passed = $3::int - $4::int, failed = $4::int WHERE id = $1`,
      [e.id, 10 - n, TESTS, FAILURES],
    );
    runs.push(e.id);
  }
  const best = async <T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> => {
    let ms = Infinity;
    let value!: T;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      value = await fn();
      ms = Math.min(ms, performance.now() - t);
    }
    return { ms, value };
  };
  const built = await best(() => buildReport(db, runs[1]));
  const html = await best(() => renderHtml(built.value));
  const junit = await best(() => renderJunit(built.value));
  const json = await best(() => JSON.stringify(built.value));
  const kb = (s: string) => Math.round(Buffer.byteLength(s) / 1024);
  report(`report: ${TESTS} results, ${FAILURES} failures (best of 5)`, [
    {
      step: 'build (queries, comparison with the previous run, flaky, trend)',
      ms: Math.round(built.ms),
      'size KiB': '',
    },
    { step: 'JSON document', ms: Math.round(json.ms), 'size KiB': kb(json.value) },
    { step: 'HTML (self-contained)', ms: Math.round(html.ms), 'size KiB': kb(html.value) },
    { step: 'JUnit XML', ms: Math.round(junit.ms), 'size KiB': kb(junit.value) },
  ]);
  await db.close();
  await drop();
})();
