import { MongoClient, type Collection, type Db } from 'mongodb';
import type { MockRequestLog, Page, TestLog, TestReport } from '@verdict/contracts';
import {
  bodyLeaves,
  DAY_MS,
  pageOf,
  parseJsonBody,
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

interface LogDoc extends Omit<TestLog, 'timestamp'> {
  timestamp: Date;
  expiresAt: Date;
}
interface MockRequestDoc extends Omit<MockRequestLog, 'id' | 'timestamp'> {
  timestamp: Date;
  requestJson?: unknown;
  expiresAt: Date;
}

const fromMockRequest = (d: MockRequestDoc & { _id?: unknown }): MockRequestLog => {
  const { _id, timestamp, requestJson: _j, expiresAt: _e, ...rest } = d;
  return { ...rest, id: String(_id), timestamp: timestamp.toISOString() };
};

interface ReportDoc extends Omit<TestReport, 'generatedAt'> {
  generatedAt: Date;
  expiresAt: Date;
}

const fromLog = ({
  timestamp,
  executionId,
  testId,
  level,
  message,
  context,
  metadata,
  correlationId,
}: LogDoc): TestLog => ({
  executionId,
  testId,
  timestamp: timestamp.toISOString(),
  level,
  message,
  context,
  metadata,
  correlationId,
});

const fromReport = (d: ReportDoc): TestReport => {
  const { expiresAt: _e, generatedAt, ...rest } = d as ReportDoc & { _id?: unknown };
  delete (rest as { _id?: unknown })._id;
  return { ...rest, generatedAt: generatedAt.toISOString() } as TestReport;
};

/**
 * MongoDB adapter (official driver): test_logs and test_reports with their indexes and TTL
 * indexes on expiresAt, created at start.
 */
export class MongoDocumentStore implements DocumentStore {
  readonly kind = 'mongodb' as const;

  private constructor(
    private readonly client: MongoClient,
    private readonly logs: Collection<LogDoc>,
    private readonly reports: Collection<ReportDoc>,
    private readonly mockRequests: Collection<MockRequestDoc>,
    private readonly retention: Retention,
  ) {}

  static async connect(url: string, dbName: string, retention: Retention): Promise<MongoDocumentStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    const db: Db = client.db(dbName);
    const logs = db.collection<LogDoc>('test_logs');
    const reports = db.collection<ReportDoc>('test_reports');
    await logs.createIndexes([
      { key: { executionId: 1, timestamp: 1 }, name: 'execution_time' },
      { key: { executionId: 1, testId: 1, timestamp: 1 }, name: 'execution_test_time' },
      { key: { expiresAt: 1 }, name: 'ttl', expireAfterSeconds: 0 },
    ]);
    await reports.createIndexes([
      { key: { executionId: 1, type: 1 }, name: 'execution_type', unique: true },
      { key: { generatedAt: -1 }, name: 'generated' },
      { key: { expiresAt: 1 }, name: 'ttl', expireAfterSeconds: 0 },
    ]);
    const mockRequests = db.collection<MockRequestDoc>('mock_request_logs');
    await mockRequests.createIndexes([
      { key: { mockId: 1, timestamp: -1 }, name: 'mock_time' },
      { key: { mockId: 1, executionId: 1, method: 1, timestamp: -1 }, name: 'mock_verify' },
      { key: { expiresAt: 1 }, name: 'ttl', expireAfterSeconds: 0 },
    ]);
    return new MongoDocumentStore(client, logs, reports, mockRequests, retention);
  }

  async appendLogs(entries: TestLog[]): Promise<void> {
    if (!entries.length) return;
    const ttl = this.retention.logDays * DAY_MS;
    await this.logs.insertMany(
      entries.map((e) => {
        const timestamp = new Date(e.timestamp);
        return { ...e, timestamp, expiresAt: new Date(timestamp.getTime() + ttl) };
      }),
      { ordered: false },
    );
  }

  async queryLogs(q: LogQuery): Promise<Page<TestLog>> {
    const p = pageOf(q.limit, q.offset);
    const filter: Record<string, unknown> = { executionId: q.executionId, expiresAt: { $gt: new Date() } };
    if (q.testId) filter.testId = q.testId;
    if (q.levels?.length) filter.level = { $in: q.levels };
    if (q.from || q.to)
      filter.timestamp = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
    const [docs, total] = await Promise.all([
      this.logs.find(filter).sort({ timestamp: 1, _id: 1 }).skip(p.offset).limit(p.limit).toArray(),
      this.logs.countDocuments(filter),
    ]);
    return { items: docs.map(fromLog), total, ...p };
  }

  async saveReport(report: TestReport): Promise<void> {
    const generatedAt = new Date(report.generatedAt);
    await this.reports.replaceOne(
      { executionId: report.executionId, type: report.type },
      {
        ...report,
        generatedAt,
        expiresAt: new Date(generatedAt.getTime() + this.retention.reportDays * DAY_MS),
      },
      { upsert: true },
    );
  }

  async getReport(executionId: string, type: ReportType = 'json'): Promise<TestReport | null> {
    const d = await this.reports.findOne({ executionId, type, expiresAt: { $gt: new Date() } });
    return d ? fromReport(d) : null;
  }

  async listReports(opts: { limit?: number; offset?: number } = {}): Promise<Page<ReportListing>> {
    const p = pageOf(opts.limit, opts.offset);
    const filter = { expiresAt: { $gt: new Date() } };
    const [docs, total] = await Promise.all([
      this.reports
        .find(filter, { projection: { executionId: 1, type: 1, generatedAt: 1, summary: 1 } })
        .sort({ generatedAt: -1, executionId: 1 })
        .skip(p.offset)
        .limit(p.limit)
        .toArray(),
      this.reports.countDocuments(filter),
    ]);
    return {
      items: docs.map((d) => ({
        executionId: d.executionId,
        type: d.type,
        generatedAt: d.generatedAt.toISOString(),
        summary: d.summary,
      })),
      total,
      ...p,
    };
  }

  async appendMockRequests(entries: MockRequestLog[]): Promise<void> {
    if (!entries.length) return;
    const ttl = this.retention.mockRequestDays * DAY_MS;
    await this.mockRequests.insertMany(
      entries.map(({ id: _id, ...e }) => {
        const timestamp = new Date(e.timestamp);
        const requestJson = parseJsonBody(e.requestBody);
        return {
          ...e,
          timestamp,
          ...(requestJson === undefined ? {} : { requestJson }),
          expiresAt: new Date(timestamp.getTime() + ttl),
        };
      }),
      { ordered: false },
    );
  }

  private mockFilter(q: Omit<MockRequestQuery, 'limit' | 'offset'>): Record<string, unknown> {
    const f: Record<string, unknown> = { mockId: q.mockId, expiresAt: { $gt: new Date() } };
    if (q.method) f.method = q.method.toUpperCase();
    if (q.path)
      f.path = q.path.includes(':') || q.path.includes('*') ? { $regex: pathPatternSource(q.path) } : q.path;
    if (q.status !== undefined) f.responseStatus = q.status;
    if (q.executionId !== undefined) f.executionId = q.executionId;
    if (q.since || q.until)
      f.timestamp = { ...(q.since ? { $gte: q.since } : {}), ...(q.until ? { $lte: q.until } : {}) };
    if (q.bodyContains !== undefined)
      f.requestBody = { $regex: q.bodyContains.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') };
    if (q.body !== undefined)
      for (const leaf of bodyLeaves(q.body)) f[['requestJson', ...leaf.path].join('.')] = leaf.value;
    return f;
  }

  async queryMockRequests(q: MockRequestQuery): Promise<Page<MockRequestLog>> {
    const p = pageOf(q.limit, q.offset);
    const filter = this.mockFilter(q);
    const [docs, total] = await Promise.all([
      this.mockRequests.find(filter).sort({ timestamp: -1, _id: -1 }).skip(p.offset).limit(p.limit).toArray(),
      this.mockRequests.countDocuments(filter),
    ]);
    return { items: docs.map(fromMockRequest), total, ...p };
  }

  async summarizeMockRequests(q: Omit<MockRequestQuery, 'limit' | 'offset'>): Promise<MockRequestSummary[]> {
    const rows = await this.mockRequests
      .aggregate<{
        _id: { date: string; method: string };
        n: number;
        avg: number;
        min: number;
        max: number;
        errors: number;
      }>([
        { $match: this.mockFilter(q) },
        {
          $group: {
            _id: { date: { $dateToString: { format: '%Y-%m-%d', date: '$timestamp' } }, method: '$method' },
            n: { $sum: 1 },
            avg: { $avg: '$responseTimeMs' },
            min: { $min: '$responseTimeMs' },
            max: { $max: '$responseTimeMs' },
            errors: { $sum: { $cond: [{ $gte: ['$responseStatus', 400] }, 1, 0] } },
          },
        },
        { $sort: { '_id.date': -1, '_id.method': 1 } },
      ])
      .toArray();
    return rows.map((r) => ({
      date: r._id.date,
      method: r._id.method,
      requestCount: r.n,
      avgResponseTimeMs: r.avg,
      minResponseTimeMs: r.min,
      maxResponseTimeMs: r.max,
      errorCount: r.errors,
      successCount: r.n - r.errors,
    }));
  }

  async mockRequestStats(mockId: string): Promise<MockRequestStats> {
    const match = { $match: { mockId, expiresAt: { $gt: new Date() } } };
    const isError = { $cond: [{ $gte: ['$responseStatus', 400] }, 1, 0] };
    const [all, routes] = await Promise.all([
      this.mockRequests
        .aggregate<{
          n: number;
          errors: number;
          unmatched: number;
          avg: number;
          max: number;
          first: Date;
          last: Date;
        }>([
          match,
          {
            $group: {
              _id: null,
              n: { $sum: 1 },
              errors: { $sum: isError },
              unmatched: { $sum: { $cond: [{ $eq: ['$matched', 'none'] }, 1, 0] } },
              avg: { $avg: '$responseTimeMs' },
              max: { $max: '$responseTimeMs' },
              first: { $min: '$timestamp' },
              last: { $max: '$timestamp' },
            },
          },
        ])
        .toArray(),
      this.mockRequests
        .aggregate<{ _id: string | null; n: number; errors: number; avg: number }>([
          match,
          {
            $group: {
              _id: '$route',
              n: { $sum: 1 },
              errors: { $sum: isError },
              avg: { $avg: '$responseTimeMs' },
            },
          },
          { $sort: { n: -1, _id: 1 } },
        ])
        .toArray(),
    ]);
    const a = all[0];
    return {
      total: a?.n ?? 0,
      errors: a?.errors ?? 0,
      unmatched: a?.unmatched ?? 0,
      avgResponseTimeMs: a ? a.avg : null,
      maxResponseTimeMs: a ? a.max : null,
      firstAt: a ? a.first.toISOString() : null,
      lastAt: a ? a.last.toISOString() : null,
      byRoute: routes.map((r) => ({ route: r._id, count: r.n, errors: r.errors, avgResponseTimeMs: r.avg })),
    };
  }

  async clearMockRequests(mockId: string, executionId?: string): Promise<number> {
    const r = await this.mockRequests.deleteMany(executionId ? { mockId, executionId } : { mockId });
    return r.deletedCount;
  }

  /** The TTL monitor runs about once a minute; this removes what is due now. */
  async purgeExpired(): Promise<{ logs: number; reports: number; mockRequests: number }> {
    const now = new Date();
    const [logs, reports, mockRequests] = await Promise.all([
      this.logs.deleteMany({ expiresAt: { $lte: now } }),
      this.reports.deleteMany({ expiresAt: { $lte: now } }),
      this.mockRequests.deleteMany({ expiresAt: { $lte: now } }),
    ]);
    return {
      logs: logs.deletedCount,
      reports: reports.deletedCount,
      mockRequests: mockRequests.deletedCount,
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
