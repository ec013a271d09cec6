import type { LogLevel, Page, TestLog, TestReport } from '@verdict/contracts';

export interface LogQuery {
  executionId: string;
  testId?: string;
  levels?: LogLevel[];
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
}

export type ReportType = TestReport['type'];

export interface ReportListing {
  executionId: string;
  type: ReportType;
  generatedAt: string;
  summary: TestReport['summary'];
}

export interface Retention {
  logDays: number;
  reportDays: number;
}

/**
 * Logs and reports (MongoDB's test_logs and test_reports). Retention is by TTL: each document
 * expires `days` after its own timestamp; expired documents are never returned, and are
 * removed by the store (MongoDB TTL index) or by purgeExpired() (SQL).
 */
export interface DocumentStore {
  readonly kind: 'mongodb' | 'sql';
  /** Appends many log lines in one write. */
  appendLogs(entries: TestLog[]): Promise<void>;
  /** Log lines of an execution, oldest first, filtered and paginated. */
  queryLogs(query: LogQuery): Promise<Page<TestLog>>;
  /** Saves a report, replacing the one of the same execution and type. */
  saveReport(report: TestReport): Promise<void>;
  getReport(executionId: string, type?: ReportType): Promise<TestReport | null>;
  listReports(opts?: { limit?: number; offset?: number }): Promise<Page<ReportListing>>;
  /** Deletes what is past its retention now; returns how many documents went. */
  purgeExpired(): Promise<{ logs: number; reports: number }>;
  close(): Promise<void>;
}

export const DAY_MS = 24 * 3600 * 1000;

export function pageOf(limit?: number, offset?: number): { limit: number; offset: number } {
  return {
    limit: Math.max(1, Math.min(1000, Math.trunc(limit ?? 100))),
    offset: Math.max(0, Math.trunc(offset ?? 0)),
  };
}
