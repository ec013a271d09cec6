import path from 'node:path';
import type { TestError } from '@verdict/contracts';
import { ReportParseError, relativeTo, type ParsedTest } from '../parsed-report';

/** Where the node:test reporter that writes this format lives; the worker expands {reporter} to it. */
export const NODE_TEST_REPORTER = path.join(__dirname, 'verdict-reporter.mjs'); // beside the source, or the bundle

interface Line {
  type: 'start' | 'pass' | 'fail';
  name: string;
  nesting: number;
  file: string | null;
  kind?: string;
  durationMs?: number;
  skip?: boolean;
  todo?: boolean;
  error?: TestError | null;
}

/** JSON lines from verdict-reporter.mjs. Suites are not tests; their names prefix their tests'. */
export function parseNodeTest(content: string, opts: { rootDir?: string } = {}): ParsedTest[] {
  if (!content.trim()) throw new ReportParseError('node:test', 'the file is empty');
  const stacks = new Map<string, string[]>();
  const out: ParsedTest[] = [];
  content.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let line: Line;
    try {
      line = JSON.parse(raw);
    } catch {
      throw new ReportParseError(
        'node:test',
        `line ${i + 1} is not JSON: was it written by Verdict's node:test reporter ({reporter})?`,
      );
    }
    const fileKey = line.file ?? '';
    const stack = stacks.get(fileKey) ?? [];
    stacks.set(fileKey, stack);
    if (line.type === 'start') {
      stack.length = line.nesting;
      stack[line.nesting] = line.name;
      return;
    }
    // node --test reports each file as a test named after its path: a pass with nothing inside
    // means the file had no tests (the shard runner flags it); a fail means it could not run.
    if (line.nesting === 0 && line.file && line.name === line.file) {
      if (line.type === 'fail') {
        out.push({
          ...entry(line, stack, opts, 'broken'),
          name: '(test file failed to run)',
          fullName: '(test file failed to run)',
        });
      }
      return;
    }
    if (line.kind === 'suite') {
      // A suite that fails on its own (a hook threw) and has no failed test inside is reported once.
      if (
        line.type === 'fail' &&
        line.error &&
        !out.some((t) => t.status === 'failed' && t.fullName.startsWith(`${line.name} › `))
      ) {
        out.push(entry(line, stack, opts, 'broken'));
      }
      return;
    }
    const status = line.type === 'fail' ? 'failed' : line.todo ? 'pending' : line.skip ? 'skipped' : 'passed';
    out.push(entry(line, stack, opts, status));
  });
  return out;
}

function entry(
  line: Line,
  stack: string[],
  opts: { rootDir?: string },
  status: ParsedTest['status'],
): ParsedTest {
  const ancestors = stack.slice(0, line.nesting);
  return {
    file: relativeTo(opts.rootDir, line.file ?? '(unknown file)'),
    name: line.name,
    fullName: [...ancestors, line.name].join(' › '),
    status,
    durationMs: Math.round((line.durationMs ?? 0) * 1000) / 1000,
    error: line.error ?? null,
  };
}
