import { ReportExtra, type TestReport } from '@verdict/contracts';
import { writeJunit } from '@verdict/report-formats';

/** One JUnit XML file of every test of the run, a <testsuite> per file, for CI systems to import. */
export function renderJunit(report: TestReport): string {
  const extra = ReportExtra.parse(report.extra);
  return writeJunit(
    `${extra.execution.project ? `${extra.execution.project} / ` : ''}${extra.execution.suite}`,
    extra.tests.map((t) => ({
      file: t.file,
      name: t.name,
      fullName: t.key.slice(t.key.indexOf('::') + 2),
      status: t.status,
      durationMs: t.durationMs,
      error: t.error,
    })),
  );
}
