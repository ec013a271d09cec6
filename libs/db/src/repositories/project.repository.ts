import type { Page, Project } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, num, paging } from './rows';

export interface NewProject {
  workspaceId: string;
  name: string;
  slug: string;
  description?: string | null;
  repositoryUrl?: string | null;
  defaultBranch?: string;
}

type Row = Record<string, unknown>;
const toProject = (r: Row): Project => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  name: String(r.name),
  slug: String(r.slug),
  description: (r.description as string) ?? null,
  repositoryUrl: (r.repository_url as string) ?? null,
  defaultBranch: String(r.default_branch),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export class ProjectRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(p: NewProject): Promise<Project> {
    const { rows } = await this.db.query(
      `INSERT INTO projects (workspace_id, name, slug, description, repository_url, default_branch)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        p.workspaceId,
        p.name,
        p.slug,
        p.description ?? null,
        p.repositoryUrl ?? null,
        p.defaultBranch ?? 'main',
      ],
    );
    return toProject(rows[0]);
  }

  async get(workspaceId: string, id: string): Promise<Project | null> {
    const { rows } = await this.db.query('SELECT * FROM projects WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rows[0] ? toProject(rows[0]) : null;
  }

  async findBySlug(workspaceId: string, slug: string): Promise<Project | null> {
    const { rows } = await this.db.query('SELECT * FROM projects WHERE workspace_id = $1 AND slug = $2', [
      workspaceId,
      slug,
    ]);
    return rows[0] ? toProject(rows[0]) : null;
  }

  async list(workspaceId: string, limit = 50, offset = 0): Promise<Page<Project>> {
    const p = paging(limit, offset);
    const { rows } = await this.db.query(
      `SELECT *, count(*) OVER ()::int AS total FROM projects WHERE workspace_id = $1 ORDER BY name LIMIT $2 OFFSET $3`,
      [workspaceId, p.limit, p.offset],
    );
    return { items: rows.map(toProject), total: rows[0] ? num(rows[0].total) : 0, ...p };
  }
}
