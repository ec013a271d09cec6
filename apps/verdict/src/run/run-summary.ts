import type { TestExecution } from '@verdict/contracts';

type Result = {
  status: string;
  flaky: boolean;
  error: { message: string; diff?: { expected: unknown; actual: unknown } } | null;
  test: { name: string; filePath: string };
};

export interface RunSummary {
  executionId: string;
  status: TestExecution['status'];
  progress: TestExecution['progress'];
  durationMs: number | null;
  error: string | null;
  shards: { index: number; files: number; predictedMs: number }[];
  predictedBalance: number | null;
  failures: { test: string; error: string }[];
  flaky: string[];
}

/** What a finished run comes to: counts, its plan, its failures with their reason, its flaky tests. */
export function summarize(done: TestExecution, results: Result[]): RunSummary {
  const name = (r: Result) => `${r.test.filePath} › ${r.test.name}`;
  return {
    executionId: done.id,
    status: done.status,
    progress: done.progress,
    durationMs: done.timing.duration,
    error: done.error,
    shards: (done.plan?.shards ?? []).map((s) => ({
      index: s.index,
      files: s.files.length,
      predictedMs: s.predictedMs,
    })),
    predictedBalance: done.plan?.predictedBalance ?? null,
    failures: results
      .filter((r) => r.status === 'failed' || r.status === 'broken')
      .map((r) => ({
        test: name(r),
        error: r.error?.diff
          ? `expected ${JSON.stringify(r.error.diff.expected)}, got ${JSON.stringify(r.error.diff.actual)}`
          : (r.error?.message ?? '').replace(/\s+/g, ' ').slice(0, 160),
      })),
    flaky: results.filter((r) => r.flaky).map(name),
  };
}

export function formatSummary(s: RunSummary & { newFailures?: string[] | null; report?: string }): string {
  const p = s.progress;
  return [
    `${s.status.toUpperCase()} in ${((s.durationMs ?? 0) / 1000).toFixed(1)} s: ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped of ${p.total}`,
    ...(s.error ? [`reason: ${s.error}`] : []),
    ...(s.shards.length
      ? [
          `shards: ${s.shards.map((x) => `#${x.index} ${x.files} files`).join(', ')} (predicted balance ${s.predictedBalance})`,
        ]
      : []),
    ...(s.failures.length ? ['failures:', ...s.failures.map((f) => `  ✗ ${f.test}: ${f.error}`)] : []),
    ...(s.flaky.length ? ['flaky (passed on retry):', ...s.flaky.map((f) => `  ~ ${f}`)] : []),
    ...(s.newFailures?.length
      ? ['new failures (passed in the previous run):', ...s.newFailures.map((f) => `  ! ${f}`)]
      : []),
    ...(s.report ? [`report: ${s.report}`] : []),
  ].join('\n');
}

/** One line of live progress: a bar, the counts, the shards running. */
export function progressLine(e: TestExecution & { shards?: { status: string }[] }, width = 24): string {
  const p = e.progress;
  const done = p.total ? Math.min(1, p.completed / p.total) : 0;
  const filled = Math.round(done * width);
  const running = (e.shards ?? []).filter((s) => s.status === 'running').length;
  const shards = e.shards?.length ? `  shards ${running} running/${e.shards.length}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.completed}/${p.total || '?'}  ✓ ${p.passed}  ✗ ${p.failed}  ↷ ${p.skipped}${shards}  ${e.status}`;
}
