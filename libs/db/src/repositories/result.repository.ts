import type { Attempt, Page, ResultStatus, TestError, TestResult } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { uuidv7 } from '../uuid-v7';
import { iso, num, selectPage, Where } from './rows';

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

/** test_results columns in the order toResultRow writes them (COPY, UNNEST and the benchmark share it). */
export const RESULT_COLUMNS = [
  'id',
  'execution_id',
  'test_case_id',
  'shard_index',
  'status',
  'duration_ms',
  'duration',
  'error',
  'retry_count',
  'attempts',
  'flaky',
  'coverage',
  'artifacts',
  'metadata',
];

/** One row in RESULT_COLUMNS order; ids are time-ordered (uuidv7) so the primary key grows at its right edge. */
export const toResultRow = (r: NewResult): unknown[] => [
  uuidv7(),
  r.executionId,
  r.testCaseId,
  r.shardIndex,
  r.status,
  r.duration.total,
  JSON.stringify(r.duration),
  json(r.error),
  Math.max(0, r.attempts.length - 1),
  JSON.stringify(r.attempts),
  r.flaky,
  json(r.coverage),
  JSON.stringify(r.artifacts ?? {}),
  JSON.stringify(r.metadata ?? {}),
];

export class ResultRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Inserts a batch. A result already stored for the same execution and test is kept as it is,
   * so a redelivered batch, or a shard run again after its worker died, adds nothing twice.
   * Fast path: COPY (PostgreSQL). When COPY meets a row that exists, the batch goes again
   * through UNNEST … ON CONFLICT DO NOTHING, which also serves adapters without COPY.
   * docs/benchmarks.md compares the two with multi-row INSERT. Returns the rows inserted.
   */
  async insertBatch(results: NewResult[]): Promise<number> {
    return (await this.insertBatchReturning(results)).length;
  }

  /** As insertBatch, returning which results went in (for counters and history). */
  async insertBatchReturning(results: NewResult[]): Promise<{ executionId: string; testCaseId: string }[]> {
    if (results.length === 0) return [];
    if (this.db.copyRows) {
      try {
        await this.db.copyRows('test_results', RESULT_COLUMNS, results.map(toResultRow));
        return results.map((r) => ({ executionId: r.executionId, testCaseId: r.testCaseId }));
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
      }
    }
    const columns = results.map(toResultRow);
    const { rows } = await this.db.query<{ execution_id: string; test_case_id: string }>(
      `INSERT INTO test_results (${RESULT_COLUMNS.join(', ')})
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::float8[], $7::jsonb[],
                            $8::jsonb[], $9::int[], $10::jsonb[], $11::bool[], $12::jsonb[], $13::jsonb[], $14::jsonb[])
       ON CONFLICT (execution_id, test_case_id) DO NOTHING
       RETURNING execution_id, test_case_id`,
      RESULT_COLUMNS.map((_, i) => columns.map((row) => row[i])),
    );
    return rows.map((r) => ({ executionId: r.execution_id, testCaseId: r.test_case_id }));
  }

  /** Results with their test's name and file, filtered by execution and/or test case, newest first for a case. */
  async list(
    filter: { executionId?: string; testCaseId?: string; status?: ResultStatus; flaky?: boolean },
    page: { limit: number; offset: number } = { limit: 100, offset: 0 },
  ): Promise<Page<TestResult & { test: { name: string; filePath: string } }>> {
    const where = new Where()
      .add('r.execution_id = ?', filter.executionId)
      .add('r.test_case_id = ?', filter.testCaseId)
      .add('r.status = ?', filter.status)
      .add('r.flaky = ?', filter.flaky);
    return selectPage(
      this.db,
      {
        select: 'r.*, c.name AS test_name, c.file_path AS test_file',
        from: 'test_results r JOIN test_cases c ON c.id = r.test_case_id',
        where,
        orderBy: filter.executionId ? 'c.file_path, c.name, r.id' : 'r.id DESC',
      },
      page,
      (r) => ({ ...toResult(r), test: { name: String(r.test_name), filePath: String(r.test_file) } }),
    );
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
