import type { ActionOutcome, Page, Scenario, ScenarioAction, ScenarioResult } from '@verdict/contracts';
import type { SqlDatabase } from '../sql-database.port';
import { iso, num, selectPage, Where } from './rows';

type Row = Record<string, unknown>;
export type ScenarioFields = Pick<Scenario, 'name' | 'description' | 'actions'>;

const toResult = (r: Row): ScenarioResult => ({
  id: String(r.id),
  scenarioId: String(r.scenario_id),
  scenarioName: String(r.scenario_name),
  status: r.status as ScenarioResult['status'],
  results: r.results as ActionOutcome[],
  durationMs: num(r.duration_ms),
  errorMessage: (r.error_message as string) ?? null,
  executedAt: iso(r.executed_at),
  executionId: (r.execution_id as string) ?? null,
});

const SCENARIO_SELECT = `s.*, coalesce((SELECT jsonb_agg(a.parameters || jsonb_build_object('type', a.action_type) ORDER BY a."order")
  FROM scenario_actions a WHERE a.scenario_id = s.id), '[]'::jsonb) AS actions`;

const toScenario = (r: Row): Scenario => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  name: String(r.name),
  description: (r.description as string) ?? null,
  status: r.status as Scenario['status'],
  actions: r.actions as ScenarioAction[],
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** Ordered action scenarios and the results of their runs (stub-manager-schema.md). */
export class ScenarioRepository {
  constructor(private readonly db: SqlDatabase) {}

  async create(workspaceId: string, f: ScenarioFields): Promise<Scenario> {
    const id = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO scenarios (workspace_id, name, description, status) VALUES ($1, $2, $3, $4) RETURNING id`,
        [workspaceId, f.name, f.description, f.actions.length ? 'READY' : 'DRAFT'],
      );
      await insertActions(tx, rows[0].id, f.actions);
      return rows[0].id;
    });
    return (await this.get(workspaceId, id))!;
  }

  async get(workspaceId: string, id: string): Promise<Scenario | null> {
    const { rows } = await this.db.query(
      `SELECT ${SCENARIO_SELECT} FROM scenarios s WHERE s.workspace_id = $1 AND s.id = $2`,
      [workspaceId, id],
    );
    return rows[0] ? toScenario(rows[0]) : null;
  }

  async getByName(workspaceId: string, name: string): Promise<Scenario | null> {
    const { rows } = await this.db.query(
      `SELECT ${SCENARIO_SELECT} FROM scenarios s WHERE s.workspace_id = $1 AND s.name = $2`,
      [workspaceId, name],
    );
    return rows[0] ? toScenario(rows[0]) : null;
  }

  async list(
    workspaceId: string,
    filter: { status?: string; name?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<Scenario>> {
    const where = new Where().equals({
      's.workspace_id': workspaceId,
      's.status': filter.status,
      's.name': filter.name,
    });
    return selectPage(
      this.db,
      { select: SCENARIO_SELECT, from: 'scenarios s', where, orderBy: 's.name' },
      page,
      toScenario,
    );
  }

  /** Replaces the scenario's name, description and every action. */
  async replace(workspaceId: string, id: string, f: ScenarioFields): Promise<Scenario | null> {
    const found = await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE scenarios SET name = $3, description = $4,
           status = CASE WHEN status = 'RUNNING' THEN status WHEN $5 THEN 'READY' ELSE 'DRAFT' END
         WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, id, f.name, f.description, f.actions.length > 0],
      );
      if (!rowCount) return false;
      await tx.query('DELETE FROM scenario_actions WHERE scenario_id = $1', [id]);
      await insertActions(tx, id, f.actions);
      return true;
    });
    return found ? this.get(workspaceId, id) : null;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM scenarios WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rowCount === 1;
  }

  /** Marks the scenario RUNNING unless it already is; false when another run holds it. */
  async start(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE scenarios SET status = 'RUNNING' WHERE id = $1 AND status <> 'RUNNING'`,
      [id],
    );
    return rowCount === 1;
  }

  /** Records a run's result and ends the scenario COMPLETED (success) or FAILED. */
  async finish(
    id: string,
    r: Omit<ScenarioResult, 'id' | 'scenarioId' | 'scenarioName' | 'executedAt'> & { executedAt: Date },
  ): Promise<ScenarioResult> {
    return this.db.transaction(async (tx) => {
      await tx.query(`UPDATE scenarios SET status = $2 WHERE id = $1`, [
        id,
        r.status === 'SUCCESS' ? 'COMPLETED' : 'FAILED',
      ]);
      const { rows } = await tx.query(
        `INSERT INTO scenario_results (scenario_id, status, results, duration_ms, error_message, execution_id, executed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING *, (SELECT name FROM scenarios WHERE id = $1) AS scenario_name`,
        [id, r.status, JSON.stringify(r.results), r.durationMs, r.errorMessage, r.executionId, r.executedAt],
      );
      return toResult(rows[0]);
    });
  }

  /** Puts a scenario left RUNNING by a crash back to READY (at start). */
  async releaseStale(olderThanMs: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE scenarios SET status = 'READY' WHERE status = 'RUNNING' AND updated_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [olderThanMs],
    );
    return rowCount;
  }

  async listResults(
    scenarioId: string,
    filter: { status?: string; executionId?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<ScenarioResult>> {
    const where = new Where().equals({
      'r.scenario_id': scenarioId,
      'r.status': filter.status,
      'r.execution_id': filter.executionId,
    });
    return selectPage(
      this.db,
      {
        select: 'r.*, s.name AS scenario_name',
        from: 'scenario_results r JOIN scenarios s ON s.id = r.scenario_id',
        where,
        orderBy: 'r.executed_at DESC, r.id',
      },
      page,
      toResult,
    );
  }
}

async function insertActions(
  tx: { query(text: string, params?: unknown[]): Promise<unknown> },
  scenarioId: string,
  actions: ScenarioAction[],
): Promise<void> {
  if (!actions.length) return;
  await tx.query(
    `INSERT INTO scenario_actions (scenario_id, "order", action_type, parameters)
     SELECT $1, o, t, p FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS x(o, t, p)`,
    [
      scenarioId,
      actions.map((_, i) => i + 1),
      actions.map((a) => a.type),
      actions.map(({ type: _t, ...rest }) => JSON.stringify(rest)),
    ],
  );
}
