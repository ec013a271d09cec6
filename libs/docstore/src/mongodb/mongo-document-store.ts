import { MongoClient, type Collection, type Db } from 'mongodb';
import type { Page, TestLog, TestReport } from '@verdict/contracts';
import {
  DAY_MS,
  pageOf,
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
    return new MongoDocumentStore(client, logs, reports, retention);
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

  /** The TTL monitor runs about once a minute; this removes what is due now. */
  async purgeExpired(): Promise<{ logs: number; reports: number }> {
    const now = new Date();
    const [logs, reports] = await Promise.all([
      this.logs.deleteMany({ expiresAt: { $lte: now } }),
      this.reports.deleteMany({ expiresAt: { $lte: now } }),
    ]);
    return { logs: logs.deletedCount, reports: reports.deletedCount };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
