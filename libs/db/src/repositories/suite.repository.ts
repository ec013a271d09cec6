import {
  SuiteConfig,
  SuiteMetadata,
  SuiteSelectors,
  type SuiteRun,
  type SuiteType,
  type TestSuite,
} from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso } from './rows';

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
}
