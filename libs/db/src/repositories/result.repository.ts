import type { Attempt, Page, ResultStatus, TestError, TestResult } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, num, paging } from './rows';

export interface NewResult {
  executionId: string;
  testCaseId: string;
  shardIndex: number;
  status: ResultStatus;
  duration: TestResult['duration'];
  error: TestError | null;
  attempts: Attempt[];
  flaky: boolean;
  coverage?: TestResult['coverage'];
  artifacts?: TestResult['artifacts'];
  metadata?: TestResult['metadata'];
}

type Row = Record<string, unknown>;
const toResult = (r: Row): TestResult => ({
  id: String(r.id),
  executionId: String(r.execution_id),
  testCaseId: String(r.test_case_id),
  shardIndex: num(r.shard_index),
  status: r.status as ResultStatus,
  duration: r.duration as TestResult['duration'],
  error: (r.error as TestError) ?? null,
  retries: { count: num(r.retry_count), attempts: r.attempts as Attempt[] },
  flaky: Boolean(r.flaky),
  coverage: (r.coverage as TestResult['coverage']) ?? null,
  artifacts: r.artifacts as TestResult['artifacts'],
  metadata: r.metadata as TestResult['metadata'],
  createdAt: iso(r.created_at),
});

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export class ResultRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Inserts a batch with one statement (UNNEST of column arrays: the fastest way that works on
   * both adapters; see docs/benchmarks.md). A result already stored for the same execution and
   * test is left as it is, so a redelivered batch adds nothing. Returns the rows inserted.
   */
  async insertBatch(results: NewResult[]): Promise<number> {
    if (results.length === 0) return 0;
    const { rowCount } = await this.db.query(
      `INSERT INTO test_results (execution_id, test_case_id, shard_index, status, duration_ms, duration,
                                 error, retry_count, attempts, flaky, coverage, artifacts, metadata)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::float8[], $6::jsonb[],
                            $7::jsonb[], $8::int[], $9::jsonb[], $10::bool[], $11::jsonb[], $12::jsonb[], $13::jsonb[])
       ON CONFLICT (execution_id, test_case_id) DO NOTHING`,
      [
        results.map((r) => r.executionId),
        results.map((r) => r.testCaseId),
        results.map((r) => r.shardIndex),
        results.map((r) => r.status),
        results.map((r) => r.duration.total),
        results.map((r) => JSON.stringify(r.duration)),
        results.map((r) => json(r.error)),
        results.map((r) => Math.max(0, r.attempts.length - 1)),
        results.map((r) => JSON.stringify(r.attempts)),
        results.map((r) => r.flaky),
        results.map((r) => json(r.coverage)),
        results.map((r) => JSON.stringify(r.artifacts ?? {})),
        results.map((r) => JSON.stringify(r.metadata ?? {})),
      ],
    );
    return rowCount;
  }

  async listByExecution(
    executionId: string,
    limit = 100,
    offset = 0,
    status?: ResultStatus,
  ): Promise<Page<TestResult>> {
    const p = paging(limit, offset);
    const { rows } = await this.db.query(
      `SELECT *, count(*) OVER ()::int AS total FROM test_results
       WHERE execution_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at, id LIMIT $3 OFFSET $4`,
      [executionId, status ?? null, p.limit, p.offset],
    );
    return { items: rows.map(toResult), total: rows[0] ? num(rows[0].total) : 0, ...p };
  }

  async countByStatus(executionId: string): Promise<Record<ResultStatus, number>> {
    const { rows } = await this.db.query<{ status: ResultStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM test_results WHERE execution_id = $1 GROUP BY status',
      [executionId],
    );
    const out: Record<ResultStatus, number> = { passed: 0, failed: 0, skipped: 0, pending: 0, broken: 0 };
    for (const r of rows) out[r.status] = num(r.n);
    return out;
  }
}
