import type {
  ApiKey,
  AuditLogEntry,
  Page,
  PlatformRole,
  User,
  Workspace,
  WorkspaceRole,
} from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, isoOrNull, num, selectPage, Where } from './rows';
import { toWorkspace } from './workspace.repository';

type Row = Record<string, unknown>;

const toUser = (r: Row): User => ({
  id: String(r.id),
  username: String(r.username),
  email: String(r.email),
  fullName: String(r.full_name),
  role: r.role_name as PlatformRole,
  authProvider: r.auth_provider as User['authProvider'],
  externalId: (r.external_id as string) ?? null,
  isActive: Boolean(r.is_active),
  lastLoginAt: isoOrNull(r.last_login_at),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const USER_SELECT = `u.*, r.name AS role_name FROM users u JOIN roles r ON r.id = u.role_id`;

export interface UserFields {
  username: string;
  email: string;
  fullName: string;
  passwordHash: string;
  role: PlatformRole;
}

export interface MemberView {
  userId: string;
  username: string;
  email: string;
  fullName: string;
  role: WorkspaceRole;
  joinedAt: string;
}

/** Users and their platform roles (node-fleet-schema.md users). */
export class UserRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(f: UserFields): Promise<User> {
    const { rows } = await this.db.query(
      `INSERT INTO users (username, email, full_name, password_hash, role_id)
       SELECT $1, $2, $3, $4, id FROM roles WHERE name = $5 RETURNING id`,
      [f.username, f.email, f.fullName, f.passwordHash, f.role],
    );
    return (await this.get(String(rows[0].id)))!;
  }

  async get(id: string): Promise<User | null> {
    const { rows } = await this.db.query(`SELECT ${USER_SELECT} WHERE u.id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** By username or email, case-insensitive; with the password hash, for logins. */
  async findForLogin(login: string): Promise<(User & { passwordHash: string | null }) | null> {
    const { rows } = await this.db.query(
      `SELECT ${USER_SELECT} WHERE lower(u.username) = lower($1) OR lower(u.email) = lower($1) LIMIT 1`,
      [login],
    );
    return rows[0] ? { ...toUser(rows[0]), passwordHash: (rows[0].password_hash as string) ?? null } : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const { rows } = await this.db.query(`SELECT ${USER_SELECT} WHERE lower(u.username) = lower($1)`, [
      username,
    ]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async list(
    filter: { role?: string; active?: boolean; search?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<User>> {
    const where = new Where()
      .equals({ 'r.name': filter.role, 'u.is_active': filter.active })
      .add(`(u.username ILIKE '%' || ? || '%' OR u.email ILIKE '%' || ? || '%')`, filter.search);
    return selectPage(
      this.db,
      {
        select: 'u.*, r.name AS role_name',
        from: 'users u JOIN roles r ON r.id = u.role_id',
        where,
        orderBy: 'lower(u.username)',
      },
      page,
      toUser,
    );
  }

  async update(
    id: string,
    f: Partial<Pick<UserFields, 'email' | 'fullName' | 'passwordHash' | 'role'>> & { isActive?: boolean },
  ): Promise<User | null> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const put = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (f.email !== undefined) put('email', f.email);
    if (f.fullName !== undefined) put('full_name', f.fullName);
    if (f.passwordHash !== undefined) put('password_hash', f.passwordHash);
    if (f.isActive !== undefined) put('is_active', f.isActive);
    if (f.role !== undefined) {
      params.push(f.role);
      sets.push(`role_id = (SELECT id FROM roles WHERE name = $${params.length})`);
    }
    if (sets.length) await this.db.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, params);
    return this.get(id);
  }

  async touchLogin(id: string): Promise<void> {
    await this.db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
  }

  /** The user's role in each workspace they belong to. */
  async memberships(userId: string): Promise<Map<string, WorkspaceRole>> {
    const { rows } = await this.db.query(
      `SELECT m.workspace_id, r.name FROM workspace_memberships m JOIN roles r ON r.id = m.role_id WHERE m.user_id = $1`,
      [userId],
    );
    return new Map(rows.map((r) => [String(r.workspace_id), r.name as WorkspaceRole]));
  }
}

/** Workspaces and who belongs to them. */
export class MembershipRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** The workspaces a user belongs to (all of them for null), oldest first. */
  async workspacesOf(
    userId: string | null,
    page: { limit: number; offset: number },
  ): Promise<Page<Workspace & { role: WorkspaceRole | null }>> {
    const { rows } = await this.db.query(
      `SELECT w.*, m.role_name, count(*) OVER ()::int AS total FROM workspaces w
       LEFT JOIN (SELECT wm.workspace_id, r.name AS role_name FROM workspace_memberships wm JOIN roles r ON r.id = wm.role_id WHERE wm.user_id = $1) m
         ON m.workspace_id = w.id
       WHERE $1::uuid IS NULL OR m.role_name IS NOT NULL
       ORDER BY w.created_at, w.id LIMIT $2 OFFSET $3`,
      [userId, page.limit, page.offset],
    );
    return {
      items: rows.map((r) => ({ ...toWorkspace(r), role: (r.role_name as WorkspaceRole) ?? null })),
      total: rows[0] ? num(rows[0].total) : 0,
      ...page,
    };
  }

  async members(workspaceId: string, page: { limit: number; offset: number }): Promise<Page<MemberView>> {
    return selectPage(
      this.db,
      {
        select: 'u.id AS user_id, u.username, u.email, u.full_name, r.name AS role_name, m.created_at',
        from: 'workspace_memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id',
        where: new Where().equals({ 'm.workspace_id': workspaceId }),
        orderBy: 'lower(u.username)',
      },
      page,
      (r) => ({
        userId: String(r.user_id),
        username: String(r.username),
        email: String(r.email),
        fullName: String(r.full_name),
        role: r.role_name as WorkspaceRole,
        joinedAt: iso(r.created_at),
      }),
    );
  }

  /** Adds the user, or changes their role when they belong already. */
  async put(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
    await this.db.query(
      `INSERT INTO workspace_memberships (workspace_id, user_id, role_id)
       SELECT $1, $2, id FROM roles WHERE name = $3
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET role_id = EXCLUDED.role_id`,
      [workspaceId, userId, role],
    );
  }

  async remove(workspaceId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM workspace_memberships WHERE workspace_id = $1 AND user_id = $2',
      [workspaceId, userId],
    );
    return rowCount === 1;
  }

  async owners(workspaceId: string): Promise<string[]> {
    const { rows } = await this.db.query(
      `SELECT m.user_id FROM workspace_memberships m JOIN roles r ON r.id = m.role_id WHERE m.workspace_id = $1 AND r.name = 'OWNER'`,
      [workspaceId],
    );
    return rows.map((r) => String(r.user_id));
  }
}

const toApiKey = (r: Row): ApiKey => ({
  id: String(r.id),
  userId: String(r.user_id),
  workspaceId: (r.workspace_id as string) ?? null,
  name: String(r.name),
  prefix: String(r.prefix),
  scopes: (r.scopes as string[]) ?? [],
  lastUsedAt: isoOrNull(r.last_used_at),
  expiresAt: isoOrNull(r.expires_at),
  revokedAt: isoOrNull(r.revoked_at),
  createdAt: iso(r.created_at),
});

/** API keys: only a SHA-256 of each key is kept; the key itself is shown once, at creation. */
export class ApiKeyRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(k: {
    userId: string;
    workspaceId: string | null;
    name: string;
    prefix: string;
    keyHash: string;
    scopes: string[];
    expiresAt: Date | null;
  }): Promise<ApiKey> {
    const { rows } = await this.db.query(
      `INSERT INTO api_keys (user_id, workspace_id, name, prefix, key_hash, scopes, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [k.userId, k.workspaceId, k.name, k.prefix, k.keyHash, k.scopes, k.expiresAt],
    );
    return toApiKey(rows[0]);
  }

  /** A usable key by its hash (not revoked, not expired), and marks it used. */
  async use(keyHash: string): Promise<ApiKey | null> {
    const { rows } = await this.db.query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) RETURNING *`,
      [keyHash],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async list(userId: string, page: { limit: number; offset: number }): Promise<Page<ApiKey>> {
    return selectPage(
      this.db,
      {
        select: '*',
        from: 'api_keys',
        where: new Where().equals({ user_id: userId }),
        orderBy: 'created_at DESC, id',
      },
      page,
      toApiKey,
    );
  }

  async revoke(userId: string, id: string): Promise<ApiKey | null> {
    const { rows } = await this.db.query(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1 AND id = $2 RETURNING *`,
      [userId, id],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }
}

const toAudit = (r: Row): AuditLogEntry => ({
  id: String(r.id),
  workspaceId: (r.workspace_id as string) ?? null,
  userId: (r.user_id as string) ?? null,
  userEmail: (r.user_email as string) ?? null,
  userRole: (r.user_role as string) ?? null,
  action: String(r.action),
  category: r.category as AuditLogEntry['category'],
  resourceType: (r.resource_type as string) ?? null,
  resourceId: (r.resource_id as string) ?? null,
  resourceName: (r.resource_name as string) ?? null,
  description: (r.description as string) ?? null,
  details: (r.details as AuditLogEntry['details']) ?? {},
  ipAddress: (r.ip_address as string) ?? null,
  userAgent: (r.user_agent as string) ?? null,
  status: r.status as AuditLogEntry['status'],
  errorMessage: (r.error_message as string) ?? null,
  createdAt: iso(r.created_at),
});

export type AuditFields = Omit<AuditLogEntry, 'id' | 'createdAt'>;

/** node-fleet-schema.md's audit_logs: every mutating action, failed ones too. */
export class AuditRepository {
  constructor(private readonly db: SqlExecutor) {}

  async add(e: AuditFields): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_logs (workspace_id, user_id, user_email, user_role, action, category, resource_type, resource_id,
         resource_name, description, details, ip_address, user_agent, status, error_message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        e.workspaceId,
        e.userId,
        e.userEmail,
        e.userRole,
        e.action.slice(0, 100),
        e.category,
        e.resourceType,
        e.resourceId?.slice(0, 255) ?? null,
        e.resourceName?.slice(0, 255) ?? null,
        e.description,
        JSON.stringify(e.details),
        e.ipAddress?.slice(0, 45) ?? null,
        e.userAgent,
        e.status,
        e.errorMessage,
      ],
    );
  }

  async list(
    filter: {
      workspaceId?: string;
      userId?: string;
      category?: string;
      action?: string;
      status?: string;
      resourceType?: string;
      resourceId?: string;
      from?: Date;
      to?: Date;
    },
    page: { limit: number; offset: number },
  ): Promise<Page<AuditLogEntry>> {
    const where = new Where()
      .equals({
        workspace_id: filter.workspaceId,
        user_id: filter.userId,
        category: filter.category,
        action: filter.action,
        status: filter.status,
        resource_type: filter.resourceType,
        resource_id: filter.resourceId,
      })
      .add('created_at >= ?', filter.from)
      .add('created_at <= ?', filter.to);
    return selectPage(
      this.db,
      { select: '*', from: 'audit_logs', where, orderBy: 'created_at DESC, id' },
      page,
      toAudit,
    );
  }
}
