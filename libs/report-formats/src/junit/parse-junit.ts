import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ReportParseError, relativeTo, type ParsedTest } from '../parsed-report';

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node];
const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const n = v as Node;
  return String(n['#text'] ?? n.message ?? '');
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

/**
 * JUnit XML as JUnit/Surefire, jest-junit, pytest, Go and node:test's junit reporter write it:
 * <testsuites> (optional) › <testsuite> (nested or not) › <testcase> with <failure>, <error>
 * (broken: an unexpected error rather than a failed assertion) or <skipped>.
 */
export function parseJunit(xml: string, opts: { rootDir?: string } = {}): ParsedTest[] {
  if (!xml.trim()) throw new ReportParseError('JUnit XML', 'the file is empty');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new ReportParseError(
      'JUnit XML',
      `not well-formed XML at line ${valid.err.line}: ${valid.err.msg}`,
    );
  const doc = parser.parse(xml) as Node;
  if (!doc.testsuites && !doc.testsuite)
    throw new ReportParseError('JUnit XML', 'no <testsuites> or <testsuite> element');
  // <testsuites> may hold suites, or (node:test's reporter) test cases directly.
  const root = (doc.testsuites as Node) ?? { testsuite: doc.testsuite };
  const out: ParsedTest[] = [];
  const seen = new Map<string, number>();

  const visitCase = (c: Node, suite: { name: string; file?: string }) => {
    const classname = String(c.classname ?? '');
    const fileAttr =
      (c.file as string) ??
      suite.file ??
      (/[\\/]|\.\w+$/.test(classname) && !/\s/.test(classname) ? classname : '');
    const file = relativeTo(opts.rootDir, fileAttr || suite.name || classname || '(unknown file)');
    const name = String(c.name ?? '(unnamed)');
    const prefix = classname && classname !== fileAttr && classname !== file ? `${classname} › ` : '';
    let fullName = `${prefix}${name}`;
    const dup = seen.get(`${file}::${fullName}`) ?? 0;
    seen.set(`${file}::${fullName}`, dup + 1);
    if (dup) fullName = `${fullName} (${dup + 1})`;
    const failure = list(c.failure)[0];
    const error = list(c.error)[0];
    const problem = failure ?? error;
    const status: ParsedTest['status'] = failure
      ? 'failed'
      : error
        ? 'broken'
        : c.skipped !== undefined
          ? 'skipped'
          : 'passed';
    const seconds = Number(c.time ?? 0);
    out.push({
      file,
      name,
      fullName,
      status,
      durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000 * 1000) / 1000 : 0,
      error: problem
        ? {
            name: String(problem.type ?? (failure ? 'AssertionError' : 'Error')),
            message: String(problem.message ?? text(problem).split('\n')[0] ?? ''),
            stack: text(problem).trim(),
          }
        : null,
    });
  };

  const visitSuite = (s: Node, parentFile?: string) => {
    const suite = { name: String(s.name ?? ''), file: (s.file as string) ?? parentFile };
    for (const c of list(s.testcase)) visitCase(c, suite);
    for (const child of list(s.testsuite)) visitSuite(child, suite.file);
  };
  visitSuite(root);
  return out;
}
