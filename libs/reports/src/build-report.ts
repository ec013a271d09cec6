import {
  NotFoundError,
  type ReportExtra,
  type ReportTest,
  type ResultStatus,
  type TestReport,
} from '@verdict/contracts';
import { ExecutionRepository, ProjectRepository, SuiteRepository, type SqlExecutor } from '@verdict/db';

const FAILING: ResultStatus[] = ['failed', 'broken'];
/** Runs looked back over for trends and for flakiness across runs. */
export const HISTORY_RUNS = 10;
const ENDED = `status IN ('completed', 'failed')`;

type Row = {
  test_key: string;
  name: string;
  file_path: string;
  status: ResultStatus;
  duration_ms: number;
  flaky: boolean;
  attempts: unknown[];
  error: ReportTest['error'];
  coverage: Record<string, { total: number; covered: number }> | null;
};

/**
 * The report of an ended execution (test-platform-data-models.md test_reports), with what the
 * reporter adds in `extra`: every test, per-file figures, flaky tests (passed on a retry here,
 * or passed and failed at one commit across the suite's recent runs on this branch), new
 * failures, fixed and still-failing tests against the previous ended run of the suite on the
 * same branch, the slowest tests and the suite's duration trend.
 */
export async function buildReport(db: SqlExecutor, executionId: string): Promise<TestReport> {
  const execution = await new ExecutionRepository(db).get(executionId);
  if (!execution) throw new NotFoundError('execution', executionId);
  const suite = await new SuiteRepository(db).get(execution.workspaceId, execution.suiteId);
  const project = suite ? await new ProjectRepository(db).get(execution.workspaceId, suite.projectId) : null;
  const branch = execution.trigger.branch ?? null;

  const { rows } = await db.query<Row>(
    `SELECT c.test_key, c.name, c.file_path, r.status, r.duration_ms, r.flaky, r.attempts, r.error, r.coverage
     FROM test_results r JOIN test_cases c ON c.id = r.test_case_id WHERE r.execution_id = $1`,
    [executionId],
  );
  const tests: ReportTest[] = rows.map((r) => ({
    key: r.test_key,
    name: r.name,
    file: r.file_path,
    status: r.status,
    durationMs: Number(r.duration_ms),
    flaky: r.flaky,
    attempts: Math.max(1, r.attempts.length),
    error: r.error
      ? { ...r.error, stack: (r.error.stack ?? '').slice(0, 8000), message: r.error.message.slice(0, 4000) }
      : null,
  }));
  const count = (ts: ReportTest[], statuses: ResultStatus[]) =>
    ts.filter((t) => statuses.includes(t.status)).length;

  // Against the previous ended run of the suite on the same branch.
  const previous = await db.query<{ id: string }>(
    `SELECT id FROM test_executions WHERE suite_id = $1 AND branch IS NOT DISTINCT FROM $2 AND ${ENDED}
       AND id <> $3 AND queued_at <= $4 ORDER BY queued_at DESC, id DESC LIMIT 1`,
    [execution.suiteId, branch, executionId, execution.timing.queuedAt],
  );
  const previousId = previous.rows[0]?.id ?? null;
  const before = new Map<string, ResultStatus>();
  if (previousId) {
    const prev = await db.query<{ test_key: string; status: ResultStatus }>(
      `SELECT c.test_key, r.status FROM test_results r JOIN test_cases c ON c.id = r.test_case_id WHERE r.execution_id = $1`,
      [previousId],
    );
    for (const r of prev.rows) before.set(r.test_key, r.status);
  }
  const failingNow = tests.filter((t) => FAILING.includes(t.status));
  const wasFailing = (key: string) => FAILING.includes(before.get(key) as ResultStatus);

  // Flaky across runs: passed and failed at one commit, in the suite's recent runs on this branch.
  const history = await db.query<{ test_key: string }>(
    `WITH recent AS (
       SELECT id, commit_sha FROM test_executions
       WHERE suite_id = $1 AND branch IS NOT DISTINCT FROM $2 AND ${ENDED} AND commit_sha IS NOT NULL
       ORDER BY queued_at DESC LIMIT ${HISTORY_RUNS})
     SELECT c.test_key FROM test_results r JOIN recent e ON e.id = r.execution_id JOIN test_cases c ON c.id = r.test_case_id
     WHERE r.status IN ('passed', 'failed', 'broken')
     GROUP BY c.test_key, e.commit_sha HAVING count(DISTINCT (r.status = 'passed')) > 1`,
    [execution.suiteId, branch],
  );
  const flaky = new Map<string, 'retry' | 'history'>();
  for (const t of tests) if (t.flaky) flaky.set(t.key, 'retry');
  const present = new Set(tests.map((t) => t.key));
  for (const r of history.rows)
    if (present.has(r.test_key) && !flaky.has(r.test_key)) flaky.set(r.test_key, 'history');

  const trend = await db.query<{
    id: string;
    queued_at: Date;
    status: string;
    duration_ms: number | null;
    passed: number;
    total: number;
  }>(
    `SELECT id, queued_at, status, duration_ms, passed, total FROM test_executions
     WHERE suite_id = $1 AND branch IS NOT DISTINCT FROM $2 AND ${ENDED} AND queued_at <= $3
     ORDER BY queued_at DESC LIMIT ${HISTORY_RUNS}`,
    [execution.suiteId, branch, execution.timing.queuedAt],
  );

  const byFile = new Map<string, ReportTest[]>();
  for (const t of tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const sum = (ts: ReportTest[]) => ts.reduce((n, t) => n + t.durationMs, 0);

  const coverage = (() => {
    const withCoverage = rows.filter((r) => r.coverage);
    if (!withCoverage.length) return null;
    const pct = (k: string) => {
      const total = withCoverage.reduce((n, r) => n + (r.coverage![k]?.total ?? 0), 0);
      const covered = withCoverage.reduce((n, r) => n + (r.coverage![k]?.covered ?? 0), 0);
      return total ? Math.round((covered / total) * 10_000) / 100 : 0;
    };
    return {
      lines: pct('lines'),
      branches: pct('branches'),
      functions: pct('functions'),
      statements: pct('statements'),
    };
  })();

  const extra: ReportExtra = {
    execution: {
      id: execution.id,
      suiteId: execution.suiteId,
      suite: suite?.name ?? execution.suiteId,
      project: project?.name ?? '',
      status: execution.status,
      branch,
      commit: execution.trigger.commit ?? null,
      trigger: execution.trigger.type,
      queuedAt: execution.timing.queuedAt,
      completedAt: execution.timing.completedAt,
    },
    // Failures first, then flaky, then the rest; by file and name within each.
    tests: [...tests].sort(
      (a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.name.localeCompare(b.name),
    ),
    files: [...byFile].map(([file, ts]) => ({
      file,
      tests: ts.length,
      passed: count(ts, ['passed']),
      failed: count(ts, FAILING),
      skipped: count(ts, ['skipped', 'pending']),
      durationMs: sum(ts),
    })),
    flaky: [...flaky].map(([key, reason]) => ({ key, reason })),
    previousExecutionId: previousId,
    // A flaky test's failure is not news and its pass is not a fix: it is listed as flaky.
    newFailures: failingNow
      .filter((t) => !flaky.has(t.key) && !(previousId && wasFailing(t.key)))
      .map((t) => t.key),
    fixed: tests
      .filter((t) => t.status === 'passed' && !flaky.has(t.key) && wasFailing(t.key))
      .map((t) => t.key),
    stillFailing: failingNow.filter((t) => wasFailing(t.key)).map((t) => t.key),
    slowest: [...tests]
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 10)
      .map((t) => ({ key: t.key, durationMs: t.durationMs })),
    trend: trend.rows.reverse().map((r) => ({
      executionId: r.id,
      at: new Date(r.queued_at).toISOString(),
      status: r.status,
      durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
      passRate: Number(r.total) ? Number(r.passed) / Number(r.total) : 0,
    })),
  };

  const total = tests.length;
  const passed = count(tests, ['passed']);
  return {
    executionId,
    generatedAt: new Date().toISOString(),
    type: 'json',
    summary: {
      total,
      passed,
      failed: failingNow.length,
      skipped: count(tests, ['skipped', 'pending']),
      duration: execution.timing.duration ?? 0,
      passRate: total ? passed / total : 0,
    },
    details: {
      suites: [
        {
          name: extra.execution.suite,
          tests: total,
          passed,
          failed: failingNow.length,
          duration: execution.timing.duration ?? 0,
        },
      ],
      failures: failingNow.map((t) => ({
        test: `${t.file} › ${t.name}`,
        error: t.error?.message ?? '',
        stack: t.error?.stack ?? '',
        ...(t.error?.diff ? { diff: t.error.diff } : {}),
      })),
      coverage,
    },
    artifacts: {
      html: `/api/v1/executions/${executionId}/report?format=html`,
      json: `/api/v1/executions/${executionId}/report?format=json`,
      screenshots: [],
      videos: [],
    },
    distribution: { recipients: [], channels: [], sentAt: null },
    extra,
  };
}

const rank = (t: ReportTest) =>
  FAILING.includes(t.status) ? 0 : t.flaky ? 1 : t.status === 'passed' ? 3 : 2;
