import type { CasePriority, Page, TestCase } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, isoOrNull, num, selectPage, Where } from './rows';

export type TestCaseWithStatus = TestCase & { lastStatus: string | null };

type Row = Record<string, unknown>;
const toTestCase = (r: Row): TestCaseWithStatus => ({
  id: String(r.id),
  suiteId: String(r.suite_id),
  name: String(r.name),
  description: (r.description as string) ?? null,
  filePath: String(r.file_path),
  lineNumber: r.line_number === null || r.line_number === undefined ? null : num(r.line_number),
  assertions: r.assertions as TestCase['assertions'],
  requirements: r.requirements as TestCase['requirements'],
  config: r.config as TestCase['config'],
  tags: (r.tags as string[]) ?? [],
  priority: r.priority as CasePriority,
  coverage: r.coverage as TestCase['coverage'],
  history: {
    runs: num(r.runs),
    passes: num(r.passes),
    failures: num(r.failures),
    avgDuration: num(r.avg_duration_ms),
    lastFailure: isoOrNull(r.last_failure_at),
  },
  lastStatus: (r.last_status as string) ?? null,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export interface CaseIdentity {
  testKey: string;
  name: string;
  filePath: string;
}

export class TestCaseRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Adds one run of `status` to each case's history (runs, passes, failures, running mean
   * duration, last failure, last status). Call it only for results that were really stored.
   */
  async recordRuns(status: string, runs: { testCaseId: string; durationMs: number }[]): Promise<void> {
    if (!runs.length) return;
    const passed = status === 'passed' ? 1 : 0;
    const failed = status === 'failed' || status === 'broken' ? 1 : 0;
    await this.db.query(
      `UPDATE test_cases c SET runs = c.runs + 1, passes = c.passes + $3::int, failures = c.failures + $4::int,
         avg_duration_ms = (c.avg_duration_ms * c.runs + d.ms) / (c.runs + 1),
         last_failure_at = CASE WHEN $4::int = 1 THEN now() ELSE c.last_failure_at END, last_status = $5
       FROM unnest($1::uuid[], $2::float8[]) AS d(id, ms) WHERE c.id = d.id`,
      [runs.map((r) => r.testCaseId), runs.map((r) => r.durationMs), passed, failed, status],
    );
  }

  /** Every case of a suite, by id: its key, name and file. */
  async identities(suiteId: string): Promise<Map<string, CaseIdentity>> {
    const { rows } = await this.db.query<{ id: string; test_key: string; name: string; file_path: string }>(
      'SELECT id, test_key, name, file_path FROM test_cases WHERE suite_id = $1',
      [suiteId],
    );
    return new Map(rows.map((r) => [r.id, { testKey: r.test_key, name: r.name, filePath: r.file_path }]));
  }

  /** Creates the cases that do not exist yet and returns the id of every one, by test key. */
  async upsertMany(suiteId: string, cases: CaseIdentity[]): Promise<Map<string, string>> {
    return (await this.ensure(suiteId, cases)).ids;
  }

  /**
   * Creates the cases that do not exist yet, each with the history of the run given with it
   * (its first), and returns the id of every case by test key and the ids it created. A created
   * case needs no recordRuns for that run: its history already holds it.
   */
  async ensure(
    suiteId: string,
    cases: (CaseIdentity & { run?: { status: string; durationMs: number } })[],
  ): Promise<{ ids: Map<string, string>; created: Set<string> }> {
    // Sorted: concurrent transactions insert keys in one order, so they never deadlock.
    const unique = [...new Map(cases.map((c) => [c.testKey, c])).values()].sort((a, b) =>
      a.testKey < b.testKey ? -1 : a.testKey > b.testKey ? 1 : 0,
    );
    const ids = new Map<string, string>();
    const created = new Set<string>();
    if (unique.length === 0) return { ids, created };
    // Existing rows are found by a SELECT in the same statement rather than DO UPDATE, which
    // would write a new version of every existing case on every batch.
    const { rows } = await this.db.query<{ id: string; test_key: string; created: boolean }>(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[]) AS t(k, n, f, st, ms)
       ), ins AS (
         INSERT INTO test_cases (suite_id, test_key, name, file_path, runs, passes, failures, avg_duration_ms, last_failure_at, last_status)
         SELECT $1, k, n, f, CASE WHEN st IS NULL THEN 0 ELSE 1 END, CASE WHEN st = 'passed' THEN 1 ELSE 0 END,
                CASE WHEN st IN ('failed', 'broken') THEN 1 ELSE 0 END, coalesce(ms, 0),
                CASE WHEN st IN ('failed', 'broken') THEN now() END, st
         FROM input
         ON CONFLICT (suite_id, test_key) DO NOTHING
         RETURNING id, test_key
       )
       SELECT id, test_key, true AS created FROM ins
       UNION ALL
       SELECT c.id, c.test_key, false FROM test_cases c WHERE c.suite_id = $1 AND c.test_key = ANY($2::text[])`,
      [
        suiteId,
        unique.map((c) => c.testKey),
        unique.map((c) => c.name),
        unique.map((c) => c.filePath),
        unique.map((c) => c.run?.status ?? null),
        unique.map((c) => c.run?.durationMs ?? null),
      ],
    );
    for (const r of rows) {
      ids.set(r.test_key, r.id);
      if (r.created) created.add(r.id);
    }
    // A case another transaction committed after this statement's snapshot was neither inserted
    // nor seen: read it now.
    const missing = unique.filter((c) => !ids.has(c.testKey)).map((c) => c.testKey);
    if (missing.length) {
      const again = await this.db.query<{ id: string; test_key: string }>(
        'SELECT id, test_key FROM test_cases WHERE suite_id = $1 AND test_key = ANY($2::text[])',
        [suiteId, missing],
      );
      for (const r of again.rows) ids.set(r.test_key, r.id);
    }
    return { ids, created };
  }

  /** A suite's cases by file and name; `search` matches name or file, case-insensitively. */
  async list(
    suiteId: string,
    filter: { search?: string; lastStatus?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<TestCaseWithStatus>> {
    const where = new Where()
      .add('suite_id = ?', suiteId)
      .add(
        `(name ILIKE ? OR file_path ILIKE ?)`,
        filter.search === undefined ? undefined : `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`,
      )
      .add('last_status = ?', filter.lastStatus);
    return selectPage(
      this.db,
      { select: '*', from: 'test_cases', where, orderBy: 'file_path, name, id' },
      page,
      toTestCase,
    );
  }

  /** One case, only when its suite belongs to the workspace. */
  async get(workspaceId: string, id: string): Promise<TestCaseWithStatus | null> {
    const { rows } = await this.db.query(
      `SELECT c.* FROM test_cases c JOIN test_suites s ON s.id = c.suite_id WHERE c.id = $1 AND s.workspace_id = $2`,
      [id, workspaceId],
    );
    return rows[0] ? toTestCase(rows[0]) : null;
  }
}
