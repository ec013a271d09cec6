import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { SqlDatabase } from './sql-database.port';

export const ROLES = [
  { name: 'ADMIN', scope: 'platform', description: 'Everything, in every workspace', permissions: ['*'] },
  {
    name: 'DEVOPS',
    scope: 'platform',
    description: 'Fleet, pools and schedules',
    permissions: ['fleet:*', 'pools:*', 'schedules:*', 'executions:*'],
  },
  {
    name: 'USER',
    scope: 'platform',
    description: 'Works inside the workspaces they belong to',
    permissions: ['workspace:member'],
  },
  {
    name: 'OWNER',
    scope: 'workspace',
    description: 'Manages a workspace and its members',
    permissions: ['workspace:*'],
  },
  {
    name: 'MEMBER',
    scope: 'workspace',
    description: 'Runs and reads suites of a workspace',
    permissions: ['workspace:read', 'executions:*'],
  },
] as const;

export const DEFAULT_SETTINGS: { key: string; value: unknown; description: string }[] = [
  { key: 'retention.executions.default_days', value: 90, description: 'Keep executions this many days' },
  {
    key: 'retention.executions.failed_days',
    value: 180,
    description: 'Keep failed executions this many days',
  },
  { key: 'retention.results.default_days', value: 30, description: 'Keep test results this many days' },
  { key: 'retention.results.failed_days', value: 90, description: 'Keep failed test results this many days' },
  { key: 'retention.artifacts.screenshots_days', value: 7, description: 'Keep screenshots this many days' },
  { key: 'retention.artifacts.videos_days', value: 14, description: 'Keep videos this many days' },
  { key: 'retention.logs_days', value: 30, description: 'Keep test logs this many days' },
  { key: 'retention.metrics.raw_days', value: 7, description: 'Keep raw metric points this many days' },
];

/** The workspace every install starts with; the API acts in it unless a request names another. */
export const DEFAULT_WORKSPACE = { name: 'Default', slug: 'default' } as const;

export interface SeedOptions {
  admin: { username: string; email: string; password?: string };
  workspace?: { name: string; slug: string };
}

export interface SeedOutcome {
  created: string[];
  /** Set only when the admin was created now without a password given: print it once. */
  generatedAdminPassword?: string;
}

/** Idempotent: creates what is missing, never changes or duplicates what exists. */
export async function seed(db: SqlDatabase, opts: SeedOptions): Promise<SeedOutcome> {
  const created: string[] = [];
  const workspace = opts.workspace ?? DEFAULT_WORKSPACE;
  let generatedAdminPassword: string | undefined;
  const password = opts.admin.password ?? randomBytes(12).toString('base64url');
  // Hash outside the transaction: bcrypt is slow on purpose.
  const hash = await bcrypt.hash(password, 12);

  await db.transaction(async (tx) => {
    for (const r of ROLES) {
      const { rowCount } = await tx.query(
        'INSERT INTO roles (name, scope, description, permissions) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
        [r.name, r.scope, r.description, [...r.permissions]],
      );
      if (rowCount) created.push(`role ${r.name}`);
    }
    for (const s of DEFAULT_SETTINGS) {
      const { rowCount } = await tx.query(
        'INSERT INTO system_config (key, value, description) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
        [s.key, JSON.stringify(s.value), s.description],
      );
      if (rowCount) created.push(`setting ${s.key}`);
    }
    const admin = await tx.query<{ id: string }>(
      `INSERT INTO users (username, email, full_name, password_hash, role_id)
       SELECT $1, $2, 'Administrator', $3, id FROM roles WHERE name = 'ADMIN'
       ON CONFLICT DO NOTHING RETURNING id`,
      [opts.admin.username, opts.admin.email, hash],
    );
    if (admin.rowCount) {
      created.push(`user ${opts.admin.username}`);
      if (!opts.admin.password) generatedAdminPassword = password;
    }
    const { rows } = await tx.query<{ id: string }>(
      'SELECT id FROM users WHERE lower(username) = lower($1)',
      [opts.admin.username],
    );
    const adminId = rows[0].id;
    const ws = await tx.query(
      `INSERT INTO workspaces (name, slug, created_by) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [workspace.name, workspace.slug, adminId],
    );
    if (ws.rowCount) created.push(`workspace ${workspace.slug}`);
    const member = await tx.query(
      `INSERT INTO workspace_memberships (workspace_id, user_id, role_id)
       SELECT w.id, $2, r.id FROM workspaces w, roles r WHERE w.slug = $1 AND r.name = 'OWNER'
       ON CONFLICT (workspace_id, user_id) DO NOTHING`,
      [workspace.slug, adminId],
    );
    if (member.rowCount) created.push(`membership ${opts.admin.username} OWNER of ${workspace.slug}`);
    const pool = await tx.query(
      `INSERT INTO pools (name, description, min_workers, max_workers) VALUES ('default', 'Workers of suites that name no pool', 0, 10)
       ON CONFLICT (name) DO NOTHING`,
    );
    if (pool.rowCount) created.push('pool default');
  });
  return { created, generatedAdminPassword };
}
