import {
  SuiteConfig,
  SuiteMetadata,
  SuiteSelectors,
  type SuiteRun,
  type Page,
  type SuiteType,
  type TestSuite,
} from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, selectPage, Where } from './rows';

export interface NewSuite {
  workspaceId: string;
  projectId: string;
  name: string;
  description?: string | null;
  type: SuiteType;
  run: SuiteRun;
  config?: Partial<SuiteConfig>;
  selectors?: Partial<SuiteSelectors>;
  createdBy?: string | null;
}

type Row = Record<string, unknown>;
const toSuite = (r: Row): TestSuite => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  projectId: String(r.project_id),
  name: String(r.name),
  description: (r.description as string) ?? null,
  type: r.type as SuiteType,
  run: r.run as SuiteRun,
  config: SuiteConfig.parse(r.config),
  selectors: SuiteSelectors.parse(r.selectors),
  setup: (r.setup as TestSuite['setup']) ?? {},
  metadata: SuiteMetadata.parse(r.metadata),
  statistics: r.statistics as TestSuite['statistics'],
  isActive: Boolean(r.is_active),
  createdBy: (r.created_by as string) ?? null,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export class SuiteRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(s: NewSuite): Promise<TestSuite> {
    const { rows } = await this.db.query(
      `INSERT INTO test_suites (workspace_id, project_id, name, description, type, run, config, selectors, metadata, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        s.workspaceId,
        s.projectId,
        s.name,
        s.description ?? null,
        s.type,
        JSON.stringify(s.run),
        JSON.stringify(SuiteConfig.parse(s.config ?? {})),
        JSON.stringify(SuiteSelectors.parse(s.selectors ?? {})),
        JSON.stringify(SuiteMetadata.parse({})),
        s.createdBy ?? null,
      ],
    );
    return toSuite(rows[0]);
  }

  async findByName(projectId: string, name: string): Promise<TestSuite | null> {
    const { rows } = await this.db.query('SELECT * FROM test_suites WHERE project_id = $1 AND name = $2', [
      projectId,
      name,
    ]);
    return rows[0] ? toSuite(rows[0]) : null;
  }

  async get(workspaceId: string, id: string): Promise<TestSuite | null> {
    const { rows } = await this.db.query('SELECT * FROM test_suites WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rows[0] ? toSuite(rows[0]) : null;
  }

  async list(
    workspaceId: string,
    filter: { projectId?: string; isActive?: boolean },
    page: { limit: number; offset: number },
  ): Promise<Page<TestSuite>> {
    const where = new Where()
      .add('workspace_id = ?', workspaceId)
      .add('project_id = ?', filter.projectId)
      .add('is_active = ?', filter.isActive);
    return selectPage(
      this.db,
      { select: '*', from: 'test_suites', where, orderBy: 'lower(name), id' },
      page,
      toSuite,
    );
  }

  /**
   * Replaces the given parts (run, config and selectors are replaced whole, already merged by the
   * caller) and returns the suite, or null when it is not in the workspace.
   */
  async update(
    workspaceId: string,
    id: string,
    patch: Partial<
      Pick<TestSuite, 'name' | 'description' | 'type' | 'run' | 'config' | 'selectors' | 'isActive'>
    >,
  ): Promise<TestSuite | null> {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const { rows } = await this.db.query(
      `UPDATE test_suites SET name = coalesce($3, name),
         description = CASE WHEN $4::bool THEN $5 ELSE description END,
         type = coalesce($6, type), run = coalesce($7::jsonb, run), config = coalesce($8::jsonb, config),
         selectors = coalesce($9::jsonb, selectors), is_active = coalesce($10, is_active)
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [
        workspaceId,
        id,
        patch.name ?? null,
        'description' in patch,
        patch.description ?? null,
        patch.type ?? null,
        json(patch.run),
        json(patch.config),
        json(patch.selectors),
        patch.isActive ?? null,
      ],
    );
    return rows[0] ? toSuite(rows[0]) : null;
  }

  /** Deletes the suite with its cases, executions and results. */
  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM test_suites WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rowCount === 1;
  }
}
