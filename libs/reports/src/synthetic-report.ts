import type { ReportExtra, ReportTest, TestReport } from '@verdict/contracts';

/**
 * A report of `total` tests of which `failures` failed (every 40th also flaky), as the builder
 * makes them: for the browser test of the HTML (a fixture, not exported).
 */
export function syntheticReport(total: number, failures: number): TestReport {
  const executionId = '00000000-0000-4000-8000-000000000abc';
  const tests: ReportTest[] = Array.from({ length: total }, (_, i) => {
    const file = `test/area-${Math.floor(i / 100)}.test.js`;
    const name = `case ${i} handles input ${i % 7}`;
    const failed = i < failures;
    return {
      key: `${file}::${name}`,
      name,
      file,
      status: failed ? (i % 10 === 0 ? 'broken' : 'failed') : i % 97 === 0 ? 'skipped' : 'passed',
      durationMs: (i * 37) % 2000,
      flaky: !failed && i % 40 === 0,
      attempts: 1,
      error: failed
        ? {
            name: 'AssertionError',
            message: `expected total ${i} to equal ${i + 1}`,
            stack: `AssertionError: expected total\n    at ${file}:${i % 50}:3`,
            diff: { expected: { total: i + 1, items: [1, 2] }, actual: { total: i, items: [1] } },
          }
        : null,
    };
  });
  const count = (s: string[]) => tests.filter((t) => s.includes(t.status)).length;
  const extra: ReportExtra = {
    execution: {
      id: executionId,
      suiteId: '00000000-0000-4000-8000-000000000def',
      suite: 'unit',
      project: 'Shop',
      status: failures ? 'failed' : 'completed',
      branch: 'main',
      commit: 'abcdef1234567890',
      trigger: 'ci',
      queuedAt: '2026-11-22T10:00:00.000Z',
      completedAt: '2026-11-22T10:05:00.000Z',
    },
    tests,
    files: [],
    flaky: tests.filter((t) => t.flaky).map((t) => ({ key: t.key, reason: 'retry' as const })),
    previousExecutionId: null,
    newFailures: tests.filter((t) => t.error).map((t) => t.key),
    fixed: [],
    stillFailing: [],
    slowest: [...tests]
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 10)
      .map((t) => ({ key: t.key, durationMs: t.durationMs })),
    trend: [],
  };
  const passed = count(['passed']);
  return {
    executionId,
    generatedAt: '2026-11-22T10:05:01.000Z',
    type: 'json',
    summary: {
      total,
      passed,
      failed: count(['failed', 'broken']),
      skipped: count(['skipped', 'pending']),
      duration: 300_000,
      passRate: total ? passed / total : 0,
    },
    details: { suites: [], failures: [], coverage: null },
    artifacts: { screenshots: [], videos: [] },
    distribution: { recipients: [], channels: [], sentAt: null },
    extra,
  };
}
