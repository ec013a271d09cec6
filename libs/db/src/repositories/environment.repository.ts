import type { Page, TestEnvironment } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, selectPage, Where } from './rows';

/** What a caller gives for an environment: everything but ids and timestamps. */
export type EnvironmentFields = Omit<TestEnvironment, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt'>;

const JSON_COLUMNS = [
  'infrastructure',
  'services',
  'databases',
  'variables',
  'secrets',
  'resources',
  'restrictions',
] as const;

type Row = Record<string, unknown>;
const toEnvironment = (r: Row): TestEnvironment => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  projectId: (r.project_id as string) ?? null,
  name: String(r.name),
  type: r.type as TestEnvironment['type'],
  infrastructure: r.infrastructure as TestEnvironment['infrastructure'],
  services: r.services as TestEnvironment['services'],
  databases: r.databases as TestEnvironment['databases'],
  variables: r.variables as TestEnvironment['variables'],
  secrets: r.secrets as TestEnvironment['secrets'],
  resources: r.resources as TestEnvironment['resources'],
  restrictions: r.restrictions as TestEnvironment['restrictions'],
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export class EnvironmentRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(workspaceId: string, e: EnvironmentFields): Promise<TestEnvironment> {
    const { rows } = await this.db.query(
      `INSERT INTO test_environments (workspace_id, project_id, name, type, ${JSON_COLUMNS.join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [workspaceId, e.projectId, e.name, e.type, ...JSON_COLUMNS.map((k) => JSON.stringify(e[k]))],
    );
    return toEnvironment(rows[0]);
  }

  async get(workspaceId: string, id: string): Promise<TestEnvironment | null> {
    const { rows } = await this.db.query(
      'SELECT * FROM test_environments WHERE workspace_id = $1 AND id = $2',
      [workspaceId, id],
    );
    return rows[0] ? toEnvironment(rows[0]) : null;
  }

  async list(
    workspaceId: string,
    filter: { projectId?: string; type?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<TestEnvironment>> {
    const where = new Where()
      .add('workspace_id = ?', workspaceId)
      .add('project_id = ?', filter.projectId)
      .add('type = ?', filter.type);
    return selectPage(
      this.db,
      { select: '*', from: 'test_environments', where, orderBy: 'lower(name), id' },
      page,
      toEnvironment,
    );
  }

  /** Replaces the environment's fields with `e` (the caller merges a partial change first). */
  async replace(workspaceId: string, id: string, e: EnvironmentFields): Promise<TestEnvironment | null> {
    const { rows } = await this.db.query(
      `UPDATE test_environments SET project_id = $3, name = $4, type = $5,
         ${JSON_COLUMNS.map((c, i) => `${c} = $${i + 6}`).join(', ')}
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [workspaceId, id, e.projectId, e.name, e.type, ...JSON_COLUMNS.map((k) => JSON.stringify(e[k]))],
    );
    return rows[0] ? toEnvironment(rows[0]) : null;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM test_environments WHERE workspace_id = $1 AND id = $2',
      [workspaceId, id],
    );
    return rowCount === 1;
  }
}
