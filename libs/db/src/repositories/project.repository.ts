import type { Page, Project } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, selectPage, Where } from './rows';

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
    return selectPage(
      this.db,
      {
        select: '*',
        from: 'projects',
        where: new Where().add('workspace_id = ?', workspaceId),
        orderBy: 'lower(name), id',
      },
      { limit, offset },
      toProject,
    );
  }

  /** Changes the given fields; returns null when the project is not in the workspace. */
  async update(
    workspaceId: string,
    id: string,
    patch: Partial<Omit<NewProject, 'workspaceId'>>,
  ): Promise<Project | null> {
    const { rows } = await this.db.query(
      `UPDATE projects SET name = coalesce($3, name), slug = coalesce($4, slug),
         description = CASE WHEN $5::bool THEN $6 ELSE description END,
         repository_url = CASE WHEN $7::bool THEN $8 ELSE repository_url END,
         default_branch = coalesce($9, default_branch)
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [
        workspaceId,
        id,
        patch.name ?? null,
        patch.slug ?? null,
        'description' in patch,
        patch.description ?? null,
        'repositoryUrl' in patch,
        patch.repositoryUrl ?? null,
        patch.defaultBranch ?? null,
      ],
    );
    return rows[0] ? toProject(rows[0]) : null;
  }

  /** Deletes the project and, by cascade, its suites, executions and results. */
  /** Sets (or with null, removes) the project's CI webhook secret. */
  async setWebhookSecret(workspaceId: string, id: string, secret: string | null): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE projects SET webhook_secret = $3 WHERE workspace_id = $1 AND id = $2',
      [workspaceId, id, secret],
    );
    return rowCount === 1;
  }

  async hasWebhookSecret(workspaceId: string, id: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'SELECT webhook_secret IS NOT NULL AS has FROM projects WHERE workspace_id = $1 AND id = $2',
      [workspaceId, id],
    );
    return Boolean(rows[0]?.has);
  }

  /** Every project, in any workspace, that accepts CI webhooks: with its secret, to check signatures. */
  async withWebhooks(): Promise<(Project & { webhookSecret: string })[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM projects WHERE webhook_secret IS NOT NULL AND repository_url IS NOT NULL',
    );
    return rows.map((r) => ({ ...toProject(r), webhookSecret: String(r.webhook_secret) }));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM projects WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rowCount === 1;
  }
}
