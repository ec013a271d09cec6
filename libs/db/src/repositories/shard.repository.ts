import type { ShardPlan } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { isoOrNull, num } from './rows';

export interface ShardState {
  index: number;
  files: string[];
  predictedMs: number;
  status: 'queued' | 'running' | 'done' | 'cancelled';
  nodeId: string | null;
  node: string | null;
  totalTests: number | null;
  storedTests: number;
  startedAt: string | null;
  completedAt: string | null;
}

export interface ShardProgress {
  shards: number;
  done: number;
}

/** The shards of an execution's plan and how far each is. */
export class ShardRepository {
  constructor(private readonly db: SqlExecutor) {}

  async createAll(executionId: string, plan: ShardPlan, jobIds: string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO execution_shards (execution_id, shard_index, files, predicted_ms, job_id)
       SELECT $1, i, string_to_array(f, E'\\x1f'), ms, j
       FROM unnest($2::int[], $3::text[], $4::int[], $5::uuid[]) AS t(i, f, ms, j)
       ON CONFLICT (execution_id, shard_index) DO NOTHING`,
      [
        executionId,
        plan.shards.map((s) => s.index),
        plan.shards.map((s) => s.files.join('\x1f')),
        plan.shards.map((s) => s.predictedMs),
        jobIds,
      ],
    );
  }

  async markRunning(executionId: string, shardIndex: number, nodeId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE execution_shards SET status = 'running', node_id = $3, started_at = coalesce(started_at, now())
       WHERE execution_id = $1 AND shard_index = $2 AND status IN ('queued', 'running')`,
      [executionId, shardIndex, nodeId],
    );
  }

  /**
   * Records that the shard produces `total` results and that `inserted` more are stored; the
   * shard is done once all are. Returns the execution's shards and how many are done.
   */
  async recordStored(
    executionId: string,
    shardIndex: number,
    total: number,
    inserted: number,
  ): Promise<ShardProgress> {
    await this.db.query(
      `UPDATE execution_shards SET total_tests = $3::int, stored_tests = stored_tests + $4::int,
         status = CASE WHEN stored_tests + $4::int >= $3::int AND status <> 'cancelled' THEN 'done' ELSE status END,
         completed_at = CASE WHEN completed_at IS NULL AND stored_tests + $4::int >= $3::int THEN now() ELSE completed_at END
       WHERE execution_id = $1 AND shard_index = $2`,
      [executionId, shardIndex, total, inserted],
    );
    return this.progress(executionId);
  }

  async progress(executionId: string): Promise<ShardProgress> {
    const { rows } = await this.db.query<{ shards: number; done: number }>(
      `SELECT count(*)::int AS shards, count(*) FILTER (WHERE status IN ('done', 'cancelled'))::int AS done
       FROM execution_shards WHERE execution_id = $1`,
      [executionId],
    );
    return { shards: Number(rows[0].shards), done: Number(rows[0].done) };
  }

  /** Every shard not done yet ends cancelled. Returns how many. */
  async cancelUnfinished(executionId: string): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE execution_shards SET status = 'cancelled', completed_at = now()
       WHERE execution_id = $1 AND status IN ('queued', 'running')`,
      [executionId],
    );
    return rowCount;
  }

  /** The execution's shards, with the node that ran each. */
  async list(executionId: string): Promise<ShardState[]> {
    const { rows } = await this.db.query(
      `SELECT s.*, n.name AS node_name FROM execution_shards s LEFT JOIN nodes n ON n.id = s.node_id
       WHERE s.execution_id = $1 ORDER BY s.shard_index`,
      [executionId],
    );
    return rows.map((r) => ({
      index: num(r.shard_index),
      files: r.files as string[],
      predictedMs: num(r.predicted_ms),
      status: r.status as ShardState['status'],
      nodeId: (r.node_id as string) ?? null,
      node: (r.node_name as string) ?? null,
      totalTests: r.total_tests === null ? null : num(r.total_tests),
      storedTests: num(r.stored_tests),
      startedAt: isoOrNull(r.started_at),
      completedAt: isoOrNull(r.completed_at),
    }));
  }
}
