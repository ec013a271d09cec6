import type { Workspace } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, num } from './rows';

type Row = Record<string, unknown>;
export const toWorkspace = (r: Row): Workspace => ({
  id: String(r.id),
  name: String(r.name),
  slug: String(r.slug),
  description: (r.description as string) ?? null,
  createdBy: (r.created_by as string) ?? null,
  memberCount: num(r.member_count),
  settings: (r.settings as Record<string, unknown>) ?? {},
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export class WorkspaceRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(name: string, slug: string, createdBy: string | null = null): Promise<Workspace> {
    const { rows } = await this.db.query(
      'INSERT INTO workspaces (name, slug, created_by) VALUES ($1, $2, $3) RETURNING *',
      [name, slug, createdBy],
    );
    return toWorkspace(rows[0]);
  }

  async get(id: string): Promise<Workspace | null> {
    const { rows } = await this.db.query('SELECT * FROM workspaces WHERE id = $1', [id]);
    return rows[0] ? toWorkspace(rows[0]) : null;
  }

  async update(
    id: string,
    f: { name?: string; description?: string | null; settings?: Record<string, unknown> },
  ): Promise<Workspace | null> {
    const { rows } = await this.db.query(
      `UPDATE workspaces SET name = coalesce($2, name), description = CASE WHEN $3::boolean THEN $4 ELSE description END,
         settings = coalesce($5::jsonb, settings) WHERE id = $1 RETURNING *`,
      [
        id,
        f.name ?? null,
        f.description !== undefined,
        f.description ?? null,
        f.settings ? JSON.stringify(f.settings) : null,
      ],
    );
    return rows[0] ? toWorkspace(rows[0]) : null;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM workspaces WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async findBySlug(slug: string): Promise<Workspace | null> {
    const { rows } = await this.db.query('SELECT * FROM workspaces WHERE slug = $1', [slug]);
    return rows[0] ? toWorkspace(rows[0]) : null;
  }
}
