import { TERMINAL_EXECUTION_STATUSES, type TestReport } from '@verdict/contracts';
import { ExecutionRepository, type SqlExecutor } from '@verdict/db';
import { buildReport } from './build-report';

/** Where reports are kept: the docstore port's saveReport/getReport. */
export interface ReportSink {
  saveReport(report: TestReport): Promise<void>;
  getReport(executionId: string, type?: TestReport['type']): Promise<TestReport | null>;
}

/**
 * The stored report of an execution; built and stored now when the execution has ended but its
 * report is not there yet (the reporter is behind, or the report expired). Null while it runs.
 */
export async function reportOf(
  db: SqlExecutor,
  docs: ReportSink,
  executionId: string,
): Promise<TestReport | null> {
  const stored = await docs.getReport(executionId, 'json');
  if (stored) return stored;
  const execution = await new ExecutionRepository(db).get(executionId);
  if (!execution || !TERMINAL_EXECUTION_STATUSES.includes(execution.status)) return null;
  const report = await buildReport(db, executionId);
  await docs.saveReport(report);
  return report;
}
