import type { SqlDatabase, SqlExecutor } from './sql-database.port';

/** How long things are kept, in days (system settings retention.*; test-platform-data-models.md). */
export interface RetentionPolicy {
  executionsDays: number;
  failedExecutionsDays: number;
  resultsDays: number;
  failedResultsDays: number;
  metricsDays: number;
}

const KEYS: Record<keyof RetentionPolicy, string> = {
  executionsDays: 'retention.executions.default_days',
  failedExecutionsDays: 'retention.executions.failed_days',
  resultsDays: 'retention.results.default_days',
  failedResultsDays: 'retention.results.failed_days',
  metricsDays: 'retention.metrics.raw_days',
};

/** The policy from system settings; `days` (a `--days N` given by hand) replaces the default periods, never shortening those of failures. */
export async function loadRetentionPolicy(db: SqlExecutor, days?: number): Promise<RetentionPolicy> {
  const { rows } = await db.query<{ key: string; value: unknown }>(
    'SELECT key, value FROM system_config WHERE key = ANY($1::text[])',
    [Object.values(KEYS)],
  );
  const setting = new Map(rows.map((r) => [r.key, Number(r.value)]));
  const policy = {} as RetentionPolicy;
  for (const [field, key] of Object.entries(KEYS) as [keyof RetentionPolicy, string][]) {
    const v = setting.get(key);
    if (v === undefined || !Number.isFinite(v) || v < 1)
      throw new Error(`system setting ${key} is missing or not a number of days: run \`verdict db seed\``);
    policy[field] = v;
  }
  if (days !== undefined) {
    policy.executionsDays = days;
    policy.resultsDays = days;
    policy.failedExecutionsDays = Math.max(days, policy.failedExecutionsDays);
    policy.failedResultsDays = Math.max(days, policy.failedResultsDays);
  }
  return policy;
}

export interface CleanupOutcome {
  executions: number;
  results: number;
  metricPoints: number;
  heartbeats: number;
  hookDeliveries: number;
}

class DryRun extends Error {
  constructor(readonly outcome: CleanupOutcome) {
    super('dry run');
  }
}

/**
 * Deletes what the policy no longer keeps, in one transaction: ended executions (failed ones
 * kept longer) with their results, results of older runs (failed and broken ones kept longer),
 * raw metric points and node heartbeats. An execution that has not ended is never touched, and
 * nothing newer than its period is deleted. `dryRun` counts and deletes nothing.
 */
export async function cleanupExpired(
  db: SqlDatabase,
  policy: RetentionPolicy,
  opts: { dryRun?: boolean } = {},
): Promise<CleanupOutcome> {
  const age = (alias: string, days: string) =>
    `coalesce(${alias}completed_at, ${alias}queued_at) < now() - make_interval(days => ${days})`;
  try {
    return await db.transaction(async (tx) => {
      // Results first, so the count is of every result that expired, whether or not its run did.
      const results = await tx.query(
        `DELETE FROM test_results r USING test_executions e
         WHERE r.execution_id = e.id AND e.status IN ('completed', 'cancelled', 'failed') AND (
           (r.status NOT IN ('failed', 'broken') AND ${age('e.', '$1::int')}) OR ${age('e.', '$2::int')})`,
        [policy.resultsDays, policy.failedResultsDays],
      );
      const executions = await tx.query(
        `DELETE FROM test_executions WHERE status IN ('completed', 'cancelled', 'failed') AND (
           (status <> 'failed' AND ${age('', '$1::int')}) OR (status = 'failed' AND ${age('', '$2::int')}))`,
        [policy.executionsDays, policy.failedExecutionsDays],
      );
      const metricPoints = await tx.query(
        `DELETE FROM metric_points WHERE ts < now() - make_interval(days => $1::int)`,
        [policy.metricsDays],
      );
      const heartbeats = await tx.query(
        `DELETE FROM node_heartbeats WHERE created_at < now() - make_interval(days => $1::int)`,
        [policy.metricsDays],
      );
      // A CI delivery's record (what dedupes a redelivery) is kept as long as the runs it started.
      const hookDeliveries = await tx.query(
        `DELETE FROM ci_hook_deliveries WHERE received_at < now() - make_interval(days => $1::int)`,
        [policy.executionsDays],
      );
      const outcome = {
        executions: executions.rowCount,
        results: results.rowCount,
        metricPoints: metricPoints.rowCount,
        heartbeats: heartbeats.rowCount,
        hookDeliveries: hookDeliveries.rowCount,
      };
      if (opts.dryRun) throw new DryRun(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.outcome;
    throw error;
  }
}
