import fs from 'node:fs';
import path from 'node:path';
import type { Attempt, Payloads, ReportFormat, TestError } from '@verdict/contracts';
import { NODE_TEST_REPORTER, parseReport, testKey, type ParsedTest } from '@verdict/report-formats';
import type { z } from 'zod';
import { expandCommand } from './command-template';
import { runInProcessGroup, type ProcessOutcome } from './process-runner';

export type ShardTestResult = z.infer<typeof Payloads.ResultItem>;

export interface ShardSpec {
  shardIndex: number;
  files: string[];
  /** Directory the command runs in (the checked-out source); files are relative to it. */
  cwd: string;
  command: string;
  reportFormat: ReportFormat;
  env: Record<string, string>;
  /** Per attempt. */
  timeoutMs: number;
  /** Re-runs of the files holding failed tests; a test that then passes is flaky. */
  retries: number;
}

export interface ShardOutcome {
  tests: ShardTestResult[];
  runs: ProcessOutcome[];
}

const EXT: Record<ReportFormat, string> = {
  junit: 'xml',
  'jest-json': 'json',
  'node-test': 'jsonl',
  scenario: 'json',
};

/** Formats whose reports name real file paths, so a file with no result at all can be told. */
const FILE_ACCURATE: ReportFormat[] = ['jest-json', 'node-test', 'scenario'];

interface Run {
  tests: ParsedTest[];
  /** Why the run gave no usable report, when it did not. */
  failure: string | null;
  outcome: ProcessOutcome;
}

function describeExit(o: ProcessOutcome, tail: string[]): string {
  const last = tail.length ? `; last output: ${tail.slice(-5).join(' | ')}` : '';
  if (o.spawnError) return `the command could not start: ${o.spawnError}`;
  if (o.cancelled) return 'the execution was cancelled';
  if (o.timedOut)
    return `the shard timed out after ${Math.round(o.durationMs / 1000)} s and was killed${last}`;
  if (o.exitCode === 127) return `the command was not found (exit code 127)${last}`;
  if (o.signal) return `the command was killed by ${o.signal}${last}`;
  return `the command exited with code ${o.exitCode}${last}`;
}

/** The result of a file whose tests could not run or report: broken, with the reason. */
export function brokenFile(file: string, reason: string, durationMs: number): ShardTestResult {
  const error: TestError = { name: 'ShardError', message: reason, stack: '' };
  return {
    testKey: `${file}::(no results)`,
    name: '(no results)',
    filePath: file,
    status: 'broken',
    duration: { setup: 0, execution: durationMs, teardown: 0, total: durationMs },
    error,
    attempts: [{ attempt: 1, status: 'broken', duration: durationMs, error }],
    flaky: false,
  };
}

/**
 * Runs one shard: the suite's command over the shard's files, its report parsed, failed tests
 * run again up to `retries` times. Every file of the shard ends with results: when the command
 * cannot run, times out, or leaves no readable report, its files are recorded as broken with
 * the reason, never as zero tests.
 */
export async function runShard(
  spec: ShardSpec,
  deps: {
    reportDir: string;
    onLine: (stream: 'stdout' | 'stderr', line: string) => void;
    signal?: AbortSignal;
  },
): Promise<ShardOutcome> {
  fs.mkdirSync(deps.reportDir, { recursive: true });
  const runs: ProcessOutcome[] = [];

  const runOnce = async (files: string[], attempt: number): Promise<Run> => {
    const report = path.join(
      deps.reportDir,
      `shard-${spec.shardIndex}-attempt-${attempt}.${EXT[spec.reportFormat]}`,
    );
    fs.rmSync(report, { force: true });
    const tail: string[] = [];
    const outcome = await runInProcessGroup({
      command: expandCommand(spec.command, { files, report, reporter: NODE_TEST_REPORTER }),
      cwd: spec.cwd,
      env: spec.env,
      timeoutMs: spec.timeoutMs,
      signal: deps.signal,
      onLine: (stream, line) => {
        if (stream === 'stderr') tail.splice(0, Math.max(0, tail.length - 9), line);
        deps.onLine(stream, line);
      },
    });
    runs.push(outcome);
    if (outcome.spawnError || outcome.cancelled || outcome.timedOut)
      return { tests: [], failure: describeExit(outcome, tail), outcome };
    if (!fs.existsSync(report))
      return {
        tests: [],
        failure: `${describeExit(outcome, tail)} and wrote no report at {report}`,
        outcome,
      };
    try {
      const tests = parseReport(spec.reportFormat, fs.readFileSync(report, 'utf8'), { rootDir: spec.cwd });
      if (tests.length === 0 && outcome.exitCode !== 0)
        return { tests, failure: `${describeExit(outcome, tail)} and its report holds no tests`, outcome };
      return { tests, failure: null, outcome };
    } catch (error) {
      return { tests: [], failure: `${(error as Error).message} (${describeExit(outcome, tail)})`, outcome };
    }
  };

  const first = await runOnce(spec.files, 1);
  if (first.failure)
    return { tests: spec.files.map((f) => brokenFile(f, first.failure!, first.outcome.durationMs)), runs };

  const results = new Map<string, { test: ParsedTest; attempts: Attempt[]; flaky: boolean }>();
  for (const t of first.tests) {
    results.set(testKey(t), {
      test: t,
      attempts: [
        { attempt: 1, status: t.status, duration: t.durationMs, ...(t.error ? { error: t.error } : {}) },
      ],
      flaky: false,
    });
  }

  for (let attempt = 2; attempt <= spec.retries + 1 && !deps.signal?.aborted; attempt++) {
    const failing = [...results.values()].filter(
      (r) => r.test.status === 'failed' || r.test.status === 'broken',
    );
    if (!failing.length) break;
    const files = [...new Set(failing.map((r) => r.test.file))].sort();
    const rerun = await runOnce(files, attempt);
    const byKey = new Map(rerun.tests.map((t) => [testKey(t), t]));
    for (const r of failing) {
      const again = byKey.get(testKey(r.test));
      if (!again) {
        const error: TestError = {
          name: 'ShardError',
          message: rerun.failure ?? 'the test did not run again',
          stack: '',
        };
        r.attempts.push({ attempt, status: 'broken', duration: 0, error });
        continue;
      }
      r.attempts.push({
        attempt,
        status: again.status,
        duration: again.durationMs,
        ...(again.error ? { error: again.error } : {}),
      });
      if (again.status === 'passed') r.flaky = true;
      r.test = again;
    }
  }

  const tests: ShardTestResult[] = [...results.values()].map(({ test, attempts, flaky }) => ({
    testKey: testKey(test),
    name: test.name,
    filePath: test.file,
    status: test.status,
    duration: { setup: 0, execution: test.durationMs, teardown: 0, total: test.durationMs },
    error: test.error,
    attempts,
    flaky,
  }));
  if (FILE_ACCURATE.includes(spec.reportFormat)) {
    const reported = new Set(tests.map((t) => t.filePath));
    for (const f of spec.files) {
      if (!reported.has(f)) tests.push(brokenFile(f, `the report has no result for ${f}`, 0));
    }
  }
  return { tests, runs };
}
