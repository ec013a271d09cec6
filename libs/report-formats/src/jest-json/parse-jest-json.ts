import type { ResultStatus, TestError } from '@verdict/contracts';
import { ReportParseError, relativeTo, type ParsedTest } from '../parsed-report';

interface JestAssertion {
  ancestorTitles?: string[];
  title: string;
  fullName?: string;
  status: string;
  duration?: number | null;
  failureMessages?: string[];
  failureDetails?: {
    matcherResult?: { expected?: unknown; actual?: unknown; message?: string };
    name?: string;
    message?: string;
  }[];
}
interface JestFile {
  name: string;
  status?: string;
  message?: string;
  assertionResults?: JestAssertion[];
}

const STATUS: Record<string, ResultStatus> = {
  passed: 'passed',
  failed: 'failed',
  pending: 'skipped',
  skipped: 'skipped',
  disabled: 'skipped',
  todo: 'pending',
  focused: 'passed',
};
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

function toError(a: JestAssertion): TestError | null {
  const raw = (a.failureMessages ?? []).map(stripAnsi).join('\n');
  if (!raw) return null;
  const detail = a.failureDetails?.[0];
  const firstLine = raw.split('\n').find((l) => l.trim()) ?? raw;
  const name = /^(\w*Error)\b/.exec(firstLine)?.[1] ?? (detail?.matcherResult ? 'AssertionError' : 'Error');
  const stackAt = raw.search(/\n\s+at /);
  const err: TestError = {
    name,
    message: (stackAt > 0 ? raw.slice(0, stackAt) : firstLine).trim(),
    stack: raw,
  };
  const m = detail?.matcherResult;
  if (m && ('expected' in m || 'actual' in m)) err.diff = { expected: m.expected, actual: m.actual };
  return err;
}

/** `jest --json --outputFile=…`: a test file that could not run becomes one broken test with Jest's message. */
export function parseJestJson(content: string, opts: { rootDir?: string } = {}): ParsedTest[] {
  let doc: { testResults?: JestFile[] };
  try {
    doc = JSON.parse(content);
  } catch (e) {
    throw new ReportParseError(
      'Jest JSON',
      content.trim() ? `not JSON (${(e as Error).message})` : 'the file is empty',
    );
  }
  if (!doc || !Array.isArray(doc.testResults))
    throw new ReportParseError('Jest JSON', 'no testResults array: was it written by `jest --json`?');
  const out: ParsedTest[] = [];
  for (const f of doc.testResults) {
    const file = relativeTo(opts.rootDir, f.name);
    const assertions = f.assertionResults ?? [];
    if (assertions.length === 0 && f.status === 'failed') {
      const message = stripAnsi(f.message ?? 'the test file failed to run');
      out.push({
        file,
        name: '(test file failed to run)',
        fullName: '(test file failed to run)',
        status: 'broken',
        durationMs: 0,
        error: {
          name: 'TestSuiteError',
          message:
            message
              .split('\n')
              .find((l) => l.trim())
              ?.trim() ?? message,
          stack: message,
        },
      });
      continue;
    }
    for (const a of assertions) {
      const fullName = [...(a.ancestorTitles ?? []), a.title].join(' › ');
      out.push({
        file,
        name: a.title,
        fullName,
        status: STATUS[a.status] ?? 'broken',
        durationMs: a.duration ?? 0,
        error: toError(a),
      });
    }
  }
  return out;
}
