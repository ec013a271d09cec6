import type { ParsedTest } from '../parsed-report';

// XML 1.0 forbids these control characters even escaped; they are dropped.
const esc = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** One JUnit XML document for many tests, one <testsuite> per file: what CI systems import. */
export function writeJunit(name: string, tests: ParsedTest[]): string {
  const byFile = new Map<string, ParsedTest[]>();
  for (const t of tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const count = (ts: ParsedTest[], s: ParsedTest['status'][]) =>
    ts.filter((t) => s.includes(t.status)).length;
  const secs = (ts: ParsedTest[]) => (ts.reduce((sum, t) => sum + t.durationMs, 0) / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(name)}" tests="${tests.length}" failures="${count(tests, ['failed'])}" errors="${count(tests, ['broken'])}" skipped="${count(tests, ['skipped', 'pending'])}" time="${secs(tests)}">`,
  ];
  for (const [file, ts] of byFile) {
    lines.push(
      `  <testsuite name="${esc(file)}" file="${esc(file)}" tests="${ts.length}" failures="${count(ts, ['failed'])}" errors="${count(ts, ['broken'])}" skipped="${count(ts, ['skipped', 'pending'])}" time="${secs(ts)}">`,
    );
    for (const t of ts) {
      const open = `    <testcase name="${esc(t.fullName)}" classname="${esc(file)}" file="${esc(file)}" time="${(t.durationMs / 1000).toFixed(3)}"`;
      if (t.status === 'passed') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (t.status === 'skipped' || t.status === 'pending') lines.push('      <skipped/>');
      else {
        const tag = t.status === 'broken' ? 'error' : 'failure';
        lines.push(
          `      <${tag} type="${esc(t.error?.name ?? 'Error')}" message="${esc(t.error?.message ?? '')}">${esc(t.error?.stack ?? '')}</${tag}>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
