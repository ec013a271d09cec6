import type { Workspace } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, num } from './rows';

type Row = Record<string, unknown>;
const toWorkspace = (r: Row): Workspace => ({
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

  async findBySlug(slug: string): Promise<Workspace | null> {
    const { rows } = await this.db.query('SELECT * FROM workspaces WHERE slug = $1', [slug]);
    return rows[0] ? toWorkspace(rows[0]) : null;
  }
}
