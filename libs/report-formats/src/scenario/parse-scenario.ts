import { ScenarioReport, type ResultStatus } from '@verdict/contracts';
import { ReportParseError, relativeTo, type ParsedTest } from '../parsed-report';

const STATUS: Record<string, ResultStatus> = { passed: 'passed', failed: 'failed', skipped: 'skipped' };

/**
 * The report `verdict scenario run --report` writes: each scenario run's actions as tests of the
 * scenario's file ("<scenario> › <n>. <action>"). A run that could not start at all (its file
 * did not load, its scenario is running elsewhere) is one broken test carrying the reason.
 */
export function parseScenarioReport(content: string, opts: { rootDir?: string } = {}): ParsedTest[] {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new ReportParseError('scenario', `not JSON: ${(error as Error).message}`);
  }
  const parsed = ScenarioReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportParseError('scenario', `${issue.path.join('.') || 'the report'}: ${issue.message}`);
  }
  const tests: ParsedTest[] = [];
  for (const run of parsed.data.runs) {
    const file = relativeTo(opts.rootDir, run.file ?? `scenario:${run.scenarioName}`);
    if (!run.results.length) {
      tests.push({
        file,
        name: 'scenario',
        fullName: `${run.scenarioName} › scenario`,
        status: run.status === 'SUCCESS' ? 'passed' : 'broken',
        durationMs: run.durationMs,
        error: run.errorMessage ? { name: 'ScenarioError', message: run.errorMessage, stack: '' } : null,
      });
      continue;
    }
    for (const a of run.results) {
      const name = `${a.order}. ${a.name}`;
      tests.push({
        file,
        name,
        fullName: `${run.scenarioName} › ${name}`,
        status: STATUS[a.status] ?? 'broken',
        durationMs: a.durationMs,
        error:
          a.status === 'failed'
            ? {
                name: a.type === 'HTTP_REQUEST' ? 'ExpectationFailed' : 'ActionFailed',
                message: a.error ?? 'failed',
                stack: a.response ? `HTTP ${a.response.status}\n${a.response.body.slice(0, 2000)}` : '',
              }
            : null,
      });
    }
  }
  return tests;
}
