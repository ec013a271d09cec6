import type { SqlExecutor } from '@verdict/db';

/**
 * Past duration of each test file of a suite: per execution, the sum of its tests' durations;
 * then the mean over the suite's last `runs` finished executions that ran the file.
 */
export async function fileDurations(
  db: SqlExecutor,
  suiteId: string,
  runs = 5,
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ file_path: string; ms: number }>(
    `WITH recent AS (
       SELECT id FROM test_executions WHERE suite_id = $1 AND status IN ('completed', 'failed')
       ORDER BY queued_at DESC LIMIT $2
     ), per_run AS (
       SELECT r.execution_id, c.file_path, sum(r.duration_ms) AS ms
       FROM test_results r JOIN test_cases c ON c.id = r.test_case_id
       WHERE r.execution_id IN (SELECT id FROM recent)
       GROUP BY r.execution_id, c.file_path
     )
     SELECT file_path, avg(ms)::float8 AS ms FROM per_run GROUP BY file_path`,
    [suiteId, runs],
  );
  return new Map(rows.map((r) => [r.file_path, Number(r.ms)]));
}
