import type { LogLevel, MockRequestLog, Page, TestLog, TestReport } from '@verdict/contracts';

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
  mockRequestDays: number;
}

/** Which journaled requests: every filter given must hold. */
export interface MockRequestQuery {
  mockId: string;
  method?: string;
  /** The exact path, or a template such as /orders/:id (":name" one segment, a last "*" the rest). */
  path?: string;
  status?: number;
  /** A value: that execution's requests only. Null: only requests of no execution. Absent: all. */
  executionId?: string | null;
  since?: Date;
  until?: Date;
  /** The JSON request body holds these fields with these values (objects in part, arrays whole). */
  body?: unknown;
  /** The request body's text contains this. */
  bodyContains?: string;
  limit?: number;
  offset?: number;
}

/** mockloop's request_logs_summary: one row per day and method. */
export interface MockRequestSummary {
  date: string;
  method: string;
  requestCount: number;
  avgResponseTimeMs: number;
  minResponseTimeMs: number;
  maxResponseTimeMs: number;
  errorCount: number;
  successCount: number;
}

export interface MockRequestStats {
  total: number;
  errors: number;
  unmatched: number;
  avgResponseTimeMs: number | null;
  maxResponseTimeMs: number | null;
  firstAt: string | null;
  lastAt: string | null;
  byRoute: { route: string | null; count: number; errors: number; avgResponseTimeMs: number }[];
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
  /** Journals mock requests in one write (mock_request_logs). */
  appendMockRequests(entries: MockRequestLog[]): Promise<void>;
  /** Journaled requests, newest first, filtered and paginated. */
  queryMockRequests(query: MockRequestQuery): Promise<Page<MockRequestLog>>;
  summarizeMockRequests(query: Omit<MockRequestQuery, 'limit' | 'offset'>): Promise<MockRequestSummary[]>;
  mockRequestStats(mockId: string): Promise<MockRequestStats>;
  /** Forgets a mock's journal (or one execution's part of it); returns how many went. */
  clearMockRequests(mockId: string, executionId?: string): Promise<number>;
  /** Deletes what is past its retention now; returns how many documents went. */
  purgeExpired(): Promise<{ logs: number; reports: number; mockRequests: number }>;
  close(): Promise<void>;
}

export const DAY_MS = 24 * 3600 * 1000;

export function pageOf(limit?: number, offset?: number): { limit: number; offset: number } {
  return {
    limit: Math.max(1, Math.min(1000, Math.trunc(limit ?? 100))),
    offset: Math.max(0, Math.trunc(offset ?? 0)),
  };
}

/** A path template as a regular expression over whole paths (":name" one segment, "*" the rest). */
export function pathPatternSource(template: string): string {
  const escaped = template
    .split('/')
    .map((seg) =>
      seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return `^${escaped}/?$`;
}

/** A partial JSON match as leaf conditions: each path into the body and the JSON value expected there. */
export function bodyLeaves(expected: unknown, prefix: string[] = []): { path: string[]; value: unknown }[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const entries = Object.entries(expected as Record<string, unknown>);
    if (!entries.length && prefix.length) return [{ path: prefix, value: {} }];
    return entries.flatMap(([k, v]) => bodyLeaves(v, [...prefix, k]));
  }
  return [{ path: prefix, value: expected }];
}

/** The body parsed when it is a JSON object or array (what body queries match); else undefined. */
export function parseJsonBody(body: string | null): unknown {
  if (!body) return undefined;
  const c = body.trimStart()[0];
  if (c !== '{' && c !== '[') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
