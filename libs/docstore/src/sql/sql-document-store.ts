import type { MockRequestLog, Page, TestLog, TestReport } from '@verdict/contracts';
import type { SqlDatabase } from '@verdict/db';
import {
  bodyLeaves,
  DAY_MS,
  parseJsonBody,
  pageOf,
  pathPatternSource,
  type MockRequestQuery,
  type MockRequestStats,
  type MockRequestSummary,
  type DocumentStore,
  type LogQuery,
  type ReportListing,
  type ReportType,
  type Retention,
} from '../document-store.port';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

const toLog = (r: Row): TestLog => ({
  executionId: String(r.execution_id),
  testId: (r.test_id as string) ?? null,
  timestamp: iso(r.ts),
  level: r.level as TestLog['level'],
  message: String(r.message),
  context: r.context as TestLog['context'],
  metadata: r.metadata as TestLog['metadata'],
  correlationId: String(r.correlation_id),
});

const toMockRequest = (r: Row): MockRequestLog => ({
  id: String(r.id),
  requestId: String(r.request_id),
  mockId: String(r.mock_id),
  mockName: String(r.mock_name),
  timestamp: iso(r.ts),
  method: String(r.method),
  path: String(r.path),
  query: r.query as MockRequestLog['query'],
  headers: r.headers as MockRequestLog['headers'],
  requestBody: (r.request_body as string) ?? null,
  responseStatus: Number(r.response_status),
  responseHeaders: r.response_headers as MockRequestLog['responseHeaders'],
  responseBody: (r.response_body as string) ?? null,
  responseTimeMs: Number(r.response_time_ms),
  clientIp: (r.client_ip as string) ?? null,
  userAgent: (r.user_agent as string) ?? null,
  scenario: (r.scenario as string) ?? null,
  executionId: (r.execution_id as string) ?? null,
  route: (r.route as string) ?? null,
  matched: r.matched as MockRequestLog['matched'],
});

/** The embedded document store: JSONB tables in the SQL database (migration 0004). */
export class SqlDocumentStore implements DocumentStore {
  readonly kind = 'sql' as const;

  constructor(
    private readonly db: SqlDatabase,
    private readonly retention: Retention,
  ) {}

  async appendLogs(entries: TestLog[]): Promise<void> {
    if (!entries.length) return;
    const ttl = this.retention.logDays * DAY_MS;
    await this.db.query(
      `INSERT INTO doc_test_logs (execution_id, test_id, ts, level, message, context, metadata, correlation_id, expires_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[], $9::timestamptz[])`,
      [
        entries.map((e) => e.executionId),
        entries.map((e) => e.testId),
        entries.map((e) => e.timestamp),
        entries.map((e) => e.level),
        entries.map((e) => e.message),
        entries.map((e) => JSON.stringify(e.context ?? {})),
        entries.map((e) => JSON.stringify(e.metadata ?? {})),
        entries.map((e) => e.correlationId),
        entries.map((e) => new Date(Date.parse(e.timestamp) + ttl).toISOString()),
      ],
    );
  }

  async queryLogs(q: LogQuery): Promise<Page<TestLog>> {
    const p = pageOf(q.limit, q.offset);
    const { rows } = await this.db.query(
      `SELECT *, count(*) OVER ()::int AS total FROM doc_test_logs
       WHERE execution_id = $1 AND expires_at > now()
         AND ($2::text IS NULL OR test_id = $2)
         AND ($3::text[] IS NULL OR level = ANY($3::text[]))
         AND ($4::timestamptz IS NULL OR ts >= $4)
         AND ($5::timestamptz IS NULL OR ts <= $5)
       ORDER BY ts, id LIMIT $6 OFFSET $7`,
      [
        q.executionId,
        q.testId ?? null,
        q.levels?.length ? q.levels : null,
        q.from ?? null,
        q.to ?? null,
        p.limit,
        p.offset,
      ],
    );
    return { items: rows.map(toLog), total: rows[0] ? Number(rows[0].total) : 0, ...p };
  }

  async saveReport(report: TestReport): Promise<void> {
    const expires = new Date(Date.parse(report.generatedAt) + this.retention.reportDays * DAY_MS);
    await this.db.query(
      `INSERT INTO doc_test_reports (execution_id, type, generated_at, document, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (execution_id, type) DO UPDATE SET generated_at = EXCLUDED.generated_at, document = EXCLUDED.document, expires_at = EXCLUDED.expires_at`,
      [report.executionId, report.type, report.generatedAt, JSON.stringify(report), expires],
    );
  }

  async getReport(executionId: string, type: ReportType = 'json'): Promise<TestReport | null> {
    const { rows } = await this.db.query<{ document: TestReport }>(
      'SELECT document FROM doc_test_reports WHERE execution_id = $1 AND type = $2 AND expires_at > now()',
      [executionId, type],
    );
    return rows[0]?.document ?? null;
  }

  async listReports(opts: { limit?: number; offset?: number } = {}): Promise<Page<ReportListing>> {
    const p = pageOf(opts.limit, opts.offset);
    const { rows } = await this.db.query(
      `SELECT execution_id, type, generated_at, document->'summary' AS summary, count(*) OVER ()::int AS total
       FROM doc_test_reports WHERE expires_at > now() ORDER BY generated_at DESC, execution_id LIMIT $1 OFFSET $2`,
      [p.limit, p.offset],
    );
    return {
      items: rows.map((r) => ({
        executionId: String(r.execution_id),
        type: r.type as ReportType,
        generatedAt: iso(r.generated_at),
        summary: r.summary as TestReport['summary'],
      })),
      total: rows[0] ? Number(rows[0].total) : 0,
      ...p,
    };
  }

  async appendMockRequests(entries: MockRequestLog[]): Promise<void> {
    if (!entries.length) return;
    const ttl = this.retention.mockRequestDays * DAY_MS;
    const col = <T>(f: (e: MockRequestLog) => T) => entries.map(f);
    await this.db.query(
      `INSERT INTO doc_mock_request_logs (request_id, mock_id, mock_name, ts, method, path, query, headers, request_body, request_json,
         response_status, response_headers, response_body, response_time_ms, client_ip, user_agent, scenario, execution_id, route, matched, expires_at)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[],
         $10::jsonb[], $11::int[], $12::jsonb[], $13::text[], $14::real[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
         $20::text[], $21::timestamptz[])`,
      [
        col((e) => e.requestId),
        col((e) => e.mockId),
        col((e) => e.mockName),
        col((e) => e.timestamp),
        col((e) => e.method),
        col((e) => e.path),
        col((e) => JSON.stringify(e.query)),
        col((e) => JSON.stringify(e.headers)),
        col((e) => e.requestBody),
        col((e) => (parseJsonBody(e.requestBody) === undefined ? null : e.requestBody)),
        col((e) => e.responseStatus),
        col((e) => JSON.stringify(e.responseHeaders)),
        col((e) => e.responseBody),
        col((e) => e.responseTimeMs),
        col((e) => e.clientIp),
        col((e) => e.userAgent),
        col((e) => e.scenario),
        col((e) => e.executionId),
        col((e) => e.route),
        col((e) => e.matched),
        col((e) => new Date(Date.parse(e.timestamp) + ttl).toISOString()),
      ],
    );
  }

  private mockWhere(q: Omit<MockRequestQuery, 'limit' | 'offset'>): { sql: string; params: unknown[] } {
    const params: unknown[] = [q.mockId];
    const parts = ['mock_id = $1', 'expires_at > now()'];
    const add = (cond: string, value: unknown) => {
      params.push(value);
      parts.push(cond.replaceAll('?', `$${params.length}`));
    };
    if (q.method) add('method = ?', q.method.toUpperCase());
    if (q.path)
      add(
        q.path.includes(':') || q.path.includes('*') ? 'path ~ ?' : 'path = ?',
        q.path.includes(':') || q.path.includes('*') ? pathPatternSource(q.path) : q.path,
      );
    if (q.status !== undefined) add('response_status = ?', q.status);
    if (q.executionId === null) parts.push('execution_id IS NULL');
    else if (q.executionId !== undefined) add('execution_id = ?', q.executionId);
    if (q.since) add('ts >= ?', q.since);
    if (q.until) add('ts <= ?', q.until);
    if (q.bodyContains !== undefined) add(`strpos(coalesce(request_body, ''), ?) > 0`, q.bodyContains);
    if (q.body !== undefined)
      for (const leaf of bodyLeaves(q.body)) {
        params.push(leaf.path, JSON.stringify(leaf.value));
        parts.push(`request_json #> $${params.length - 1}::text[] = $${params.length}::jsonb`);
      }
    return { sql: parts.join(' AND '), params };
  }

  async queryMockRequests(q: MockRequestQuery): Promise<Page<MockRequestLog>> {
    const p = pageOf(q.limit, q.offset);
    const w = this.mockWhere(q);
    const n = w.params.length;
    const { rows } = await this.db.query(
      `SELECT *, count(*) OVER ()::int AS total FROM doc_mock_request_logs WHERE ${w.sql}
       ORDER BY ts DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...w.params, p.limit, p.offset],
    );
    return { items: rows.map(toMockRequest), total: rows[0] ? Number(rows[0].total) : 0, ...p };
  }

  async summarizeMockRequests(q: Omit<MockRequestQuery, 'limit' | 'offset'>): Promise<MockRequestSummary[]> {
    const w = this.mockWhere(q);
    const { rows } = await this.db.query(
      `SELECT to_char(date_trunc('day', ts AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS date, method, count(*)::int AS n,
         avg(response_time_ms)::float8 AS avg, min(response_time_ms)::float8 AS min, max(response_time_ms)::float8 AS max,
         count(*) FILTER (WHERE response_status >= 400)::int AS errors
       FROM doc_mock_request_logs WHERE ${w.sql} GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
      w.params,
    );
    return rows.map((r) => ({
      date: String(r.date),
      method: String(r.method),
      requestCount: Number(r.n),
      avgResponseTimeMs: Number(r.avg),
      minResponseTimeMs: Number(r.min),
      maxResponseTimeMs: Number(r.max),
      errorCount: Number(r.errors),
      successCount: Number(r.n) - Number(r.errors),
    }));
  }

  async mockRequestStats(mockId: string): Promise<MockRequestStats> {
    const [all, routes] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE response_status >= 400)::int AS errors,
           count(*) FILTER (WHERE matched = 'none')::int AS unmatched, avg(response_time_ms)::float8 AS avg,
           max(response_time_ms)::float8 AS max, min(ts) AS first, max(ts) AS last
         FROM doc_mock_request_logs WHERE mock_id = $1 AND expires_at > now()`,
        [mockId],
      ),
      this.db.query(
        `SELECT route, count(*)::int AS n, count(*) FILTER (WHERE response_status >= 400)::int AS errors, avg(response_time_ms)::float8 AS avg
         FROM doc_mock_request_logs WHERE mock_id = $1 AND expires_at > now() GROUP BY route ORDER BY n DESC, route`,
        [mockId],
      ),
    ]);
    const a = all.rows[0];
    return {
      total: Number(a.n),
      errors: Number(a.errors),
      unmatched: Number(a.unmatched),
      avgResponseTimeMs: a.avg === null ? null : Number(a.avg),
      maxResponseTimeMs: a.max === null ? null : Number(a.max),
      firstAt: a.first ? iso(a.first) : null,
      lastAt: a.last ? iso(a.last) : null,
      byRoute: routes.rows.map((r) => ({
        route: (r.route as string) ?? null,
        count: Number(r.n),
        errors: Number(r.errors),
        avgResponseTimeMs: Number(r.avg),
      })),
    };
  }

  async clearMockRequests(mockId: string, executionId?: string): Promise<number> {
    const { rowCount } = await this.db.query(
      'DELETE FROM doc_mock_request_logs WHERE mock_id = $1 AND ($2::text IS NULL OR execution_id = $2)',
      [mockId, executionId ?? null],
    );
    return rowCount;
  }

  async purgeExpired(): Promise<{ logs: number; reports: number; mockRequests: number }> {
    const logs = await this.db.query('DELETE FROM doc_test_logs WHERE expires_at <= now()');
    const reports = await this.db.query('DELETE FROM doc_test_reports WHERE expires_at <= now()');
    const mockRequests = await this.db.query('DELETE FROM doc_mock_request_logs WHERE expires_at <= now()');
    return { logs: logs.rowCount, reports: reports.rowCount, mockRequests: mockRequests.rowCount };
  }

  async close(): Promise<void> {}
}
