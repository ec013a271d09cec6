import type { Page, PoolSchedule, Schedule } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, isoOrNull, num, selectPage, Where } from './rows';

type Row = Record<string, unknown>;

const toSchedule = (r: Row): Schedule & { lastTickAt: string | null } => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  suiteId: String(r.suite_id),
  name: String(r.name),
  cron: String(r.cron),
  timezone: String(r.timezone),
  branch: (r.branch as string) ?? null,
  isActive: Boolean(r.is_active),
  lastRunAt: isoOrNull(r.last_run_at),
  nextRunAt: isoOrNull(r.next_run_at),
  lastTickAt: isoOrNull(r.last_tick_at),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export type ScheduleFields = Pick<Schedule, 'name' | 'cron' | 'timezone' | 'branch' | 'isActive'>;

/** Suites' cron schedules. */
export class ScheduleRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(
    workspaceId: string,
    suiteId: string,
    f: ScheduleFields,
    nextRunAt: Date | null,
    createdBy: string | null,
  ): Promise<Schedule> {
    const { rows } = await this.db.query(
      `INSERT INTO schedules (workspace_id, suite_id, name, cron, timezone, branch, is_active, next_run_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [workspaceId, suiteId, f.name, f.cron, f.timezone, f.branch, f.isActive, nextRunAt, createdBy],
    );
    return toSchedule(rows[0]);
  }

  async get(workspaceId: string, id: string): Promise<Schedule | null> {
    const { rows } = await this.db.query('SELECT * FROM schedules WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async list(
    workspaceId: string,
    filter: { suiteId?: string; isActive?: boolean },
    page: { limit: number; offset: number },
  ): Promise<Page<Schedule>> {
    const where = new Where().equals({
      workspace_id: workspaceId,
      suite_id: filter.suiteId,
      is_active: filter.isActive,
    });
    return selectPage(
      this.db,
      { select: '*', from: 'schedules', where, orderBy: 'lower(name), id' },
      page,
      toSchedule,
    );
  }

  async replace(
    workspaceId: string,
    id: string,
    f: ScheduleFields,
    nextRunAt: Date | null,
  ): Promise<Schedule | null> {
    const { rows } = await this.db.query(
      `UPDATE schedules SET name = $3, cron = $4, timezone = $5, branch = $6, is_active = $7, next_run_at = $8
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [workspaceId, id, f.name, f.cron, f.timezone, f.branch, f.isActive, nextRunAt],
    );
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM schedules WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rowCount === 1;
  }

  /** Active schedules whose next tick has come, locked for this transaction (another leader skips them). */
  async lockDue(now: Date, limit = 100): Promise<(Schedule & { lastTickAt: string | null })[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM schedules WHERE is_active AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toSchedule);
  }

  /** Records the tick fired (or passed over) and the next one. */
  async advance(id: string, tick: Date, fired: boolean, nextRunAt: Date | null): Promise<void> {
    await this.db.query(
      `UPDATE schedules SET last_tick_at = $2, last_run_at = CASE WHEN $3 THEN now() ELSE last_run_at END, next_run_at = $4 WHERE id = $1`,
      [id, tick, fired, nextRunAt],
    );
  }
}

const toPoolSchedule = (r: Row): PoolSchedule => ({
  id: String(r.id),
  poolId: String(r.pool_id),
  name: String(r.name),
  startTime: String(r.start_time),
  endTime: String(r.end_time),
  timezone: String(r.timezone),
  targetWorkers: num(r.target_workers),
  isActive: Boolean(r.is_active),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export type PoolScheduleFields = Pick<
  PoolSchedule,
  'name' | 'startTime' | 'endTime' | 'timezone' | 'targetWorkers' | 'isActive'
>;

/** Pools' HH:MM capacity windows (node-fleet-schema.md schedules). */
export class PoolScheduleRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(poolId: string, f: PoolScheduleFields): Promise<PoolSchedule> {
    const { rows } = await this.db.query(
      `INSERT INTO pool_schedules (pool_id, name, start_time, end_time, timezone, target_workers, is_active)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [poolId, f.name, f.startTime, f.endTime, f.timezone, f.targetWorkers, f.isActive],
    );
    return toPoolSchedule(rows[0]);
  }

  async list(poolId: string): Promise<PoolSchedule[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM pool_schedules WHERE pool_id = $1 ORDER BY start_time, name',
      [poolId],
    );
    return rows.map(toPoolSchedule);
  }

  async listActiveByPoolName(pool: string): Promise<PoolSchedule[]> {
    const { rows } = await this.db.query(
      'SELECT s.* FROM pool_schedules s JOIN pools p ON p.id = s.pool_id WHERE p.name = $1 AND s.is_active',
      [pool],
    );
    return rows.map(toPoolSchedule);
  }

  async replace(poolId: string, id: string, f: PoolScheduleFields): Promise<PoolSchedule | null> {
    const { rows } = await this.db.query(
      `UPDATE pool_schedules SET name = $3, start_time = $4, end_time = $5, timezone = $6, target_workers = $7, is_active = $8
       WHERE pool_id = $1 AND id = $2 RETURNING *`,
      [poolId, id, f.name, f.startTime, f.endTime, f.timezone, f.targetWorkers, f.isActive],
    );
    return rows[0] ? toPoolSchedule(rows[0]) : null;
  }

  async delete(poolId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM pool_schedules WHERE pool_id = $1 AND id = $2', [
      poolId,
      id,
    ]);
    return rowCount === 1;
  }
}
