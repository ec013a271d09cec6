import type { SqlExecutor } from '../sql-database.port';

export interface CaseIdentity {
  testKey: string;
  name: string;
  filePath: string;
}

export class TestCaseRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Creates the cases that do not exist yet and returns the id of every one, by test key. */
  async upsertMany(suiteId: string, cases: CaseIdentity[]): Promise<Map<string, string>> {
    const unique = [...new Map(cases.map((c) => [c.testKey, c])).values()];
    if (unique.length === 0) return new Map();
    // DO UPDATE (a no-op on name) rather than DO NOTHING so RETURNING yields existing rows too.
    const { rows } = await this.db.query<{ id: string; test_key: string }>(
      `INSERT INTO test_cases (suite_id, test_key, name, file_path)
       SELECT $1, k, n, f FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, n, f)
       ON CONFLICT (suite_id, test_key) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, test_key`,
      [suiteId, unique.map((c) => c.testKey), unique.map((c) => c.name), unique.map((c) => c.filePath)],
    );
    return new Map(rows.map((r) => [r.test_key, r.id]));
  }
}
