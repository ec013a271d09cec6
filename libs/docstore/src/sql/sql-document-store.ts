import type { Page, TestLog, TestReport } from '@verdict/contracts';
import type { SqlDatabase } from '@verdict/db';
import {
  DAY_MS,
  pageOf,
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

  async purgeExpired(): Promise<{ logs: number; reports: number }> {
    const logs = await this.db.query('DELETE FROM doc_test_logs WHERE expires_at <= now()');
    const reports = await this.db.query('DELETE FROM doc_test_reports WHERE expires_at <= now()');
    return { logs: logs.rowCount, reports: reports.rowCount };
  }

  async close(): Promise<void> {}
}
