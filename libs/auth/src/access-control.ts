import type { Request } from 'express';
import type { Logger } from '@verdict/config';
import {
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
  type AuditCategory,
  type User,
  type Workspace,
  type WorkspaceRole,
} from '@verdict/contracts';
import {
  ApiKeyRepository,
  AuditRepository,
  UserRepository,
  WorkspaceRepository,
  type AuditFields,
  type SqlDatabase,
} from '@verdict/db';
import {
  accessOf,
  toProblem,
  WORKSPACE_HEADER,
  type Access,
  type ApiRoute,
  type MutationRecord,
  type Principal,
  type RequestContext,
} from '@verdict/http';
import type { Cache } from '@verdict/queue';
import { newSessionToken, sha256, verifyPassword } from './secrets';

export const SESSION_TTL_MS = 24 * 3600 * 1000;

/** What each workspace need asks of the caller's role there. */
const WORKSPACE_NEEDS: Record<'read' | 'run' | 'write' | 'manage', WorkspaceRole[]> = {
  read: ['OWNER', 'MEMBER'],
  run: ['OWNER', 'MEMBER'],
  write: ['OWNER'],
  manage: ['OWNER'],
};
const PLATFORM_NEEDS = {
  read: ['ADMIN', 'DEVOPS', 'USER'],
  fleet: ['ADMIN', 'DEVOPS'],
  admin: ['ADMIN'],
} as const;
/** API key scopes, each including those before it. */
export const KEY_SCOPES = ['read', 'run', 'write', 'manage'] as const;
const SCOPE_OF_PLATFORM_NEED = { read: 'read', fleet: 'write', admin: 'manage' } as const;

export interface RateLimits {
  /** Login attempts per client address and per account, per minute. */
  loginPerMinute: number;
  /** CI webhook deliveries per client address, per minute. */
  hooksPerMinute: number;
}

const CATEGORIES: Record<string, AuditCategory> = {
  auth: 'AUTH',
  'api keys': 'AUTH',
  users: 'USER',
  workspaces: 'WORKSPACE',
  projects: 'PROJECT',
  suites: 'SUITE',
  environments: 'ENVIRONMENT',
  executions: 'EXECUTION',
  reports: 'EXECUTION',
  'test cases': 'SUITE',
  fleet: 'NODE',
  notifications: 'NOTIFICATION',
  schedules: 'SCHEDULE',
  hooks: 'WEBHOOK',
  mocks: 'MOCK',
  'mock routes': 'MOCK',
  'response sets': 'MOCK',
  journal: 'MOCK',
  'mock webhooks': 'MOCK',
  scenarios: 'SCENARIO',
  audit: 'SYSTEM',
};

const SECRET_KEYS = /secret|password|token|apikey|api_key|webhookurl|^key$/i;

/** A request body as the audit log keeps it: secrets masked, long values cut. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => maskSecrets(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = SECRET_KEYS.test(k) ? '********' : maskSecrets(v, depth + 1);
    return out;
  }
  if (typeof value === 'string' && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? null;

/**
 * Authentication and authorization for every API: bearer session tokens (kept in the cache,
 * Redis in production, for 24 hours) and API keys (kept hashed), workspace roles, rate limits,
 * and the audit log of every mutating request.
 */
export class AccessControl {
  constructor(
    private readonly deps: { db: SqlDatabase; cache: Cache; log: Logger },
    private readonly opts: { defaultWorkspace: string; limits: RateLimits },
  ) {}

  get limits(): RateLimits {
    return this.opts.limits;
  }

  /** Counts a hit; past `max` in the window, a 429 saying when to come back. */
  async rateLimit(bucket: string, key: string, max: number, windowMs = 60_000): Promise<void> {
    const k = `rate:${bucket}:${key}`;
    const n = await this.deps.cache.incr(k, windowMs);
    if (n > max) {
      const left = await this.deps.cache.ttl(k);
      throw new TooManyRequestsError(
        `too many ${bucket} attempts; try again in ${Math.max(1, Math.ceil(left / 1000))} s`,
        Math.max(1, Math.ceil(left / 1000)),
      );
    }
  }

  /** Checks a password and opens a 24-hour session. Rate limited per address and per account. */
  async login(
    login: string,
    password: string,
    ip: string | null,
  ): Promise<{ token: string; expiresAt: string; user: User }> {
    const per = this.opts.limits.loginPerMinute;
    // Every attempt counts per address; failed ones count per account, and past the limit even
    // the right password is refused until the window ends.
    await this.rateLimit('login', `ip:${ip ?? 'unknown'}`, per * 3);
    const account = `rate:login-failures:${login.toLowerCase()}`;
    const failures = (await this.deps.cache.get<number>(account)) ?? 0;
    if (failures >= per) {
      const left = Math.max(1, Math.ceil((await this.deps.cache.ttl(account)) / 1000));
      throw new TooManyRequestsError(`too many failed sign-ins for "${login}"; try again in ${left} s`, left);
    }
    const users = new UserRepository(this.deps.db);
    const found = await users.findForLogin(login);
    const ok = await verifyPassword(password, found?.passwordHash ?? null);
    if (!found || !ok || !found.isActive) {
      await this.deps.cache.incr(account, 60_000);
      throw new UnauthorizedError('wrong username or password');
    }
    const token = newSessionToken();
    await this.deps.cache.set(`session:${sha256(token)}`, { userId: found.id }, SESSION_TTL_MS);
    await users.touchLogin(found.id);
    const { passwordHash: _h, ...user } = found;
    return { token, expiresAt: new Date(Date.now() + SESSION_TTL_MS).toISOString(), user };
  }

  /** Signs a session out; an API key has no session to end (revoke it instead). */
  async endSession(principal: Principal): Promise<void> {
    if (!principal.sessionId)
      throw new ValidationError(
        'an API key is not a session: revoke it with DELETE /api/v1/api-keys/{id}',
        'authorization',
      );
    await this.deps.cache.delete(`session:${principal.sessionId}`);
  }

  /** The bearer of the request, or null when it carries no credentials. Bad credentials are a 401. */
  async authenticate(req: Request): Promise<Principal | null> {
    const header = req.get('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? req.get('x-api-key');
    if (!token) {
      if (header) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
      return null;
    }
    const users = new UserRepository(this.deps.db);
    if (token.startsWith('vk_')) {
      const key = await new ApiKeyRepository(this.deps.db).use(sha256(token));
      if (!key) throw new UnauthorizedError('the API key is not valid (revoked, expired or unknown)');
      const user = await users.get(key.userId);
      if (!user?.isActive) throw new UnauthorizedError('the API key belongs to a deactivated user');
      return principalOf(user, 'api-key', key.workspaceId, key.scopes, null);
    }
    const sessionId = sha256(token);
    const session = await this.deps.cache.get<{ userId: string }>(`session:${sessionId}`);
    if (!session) throw new UnauthorizedError('the session expired or the token is not valid; sign in again');
    const user = await users.get(session.userId);
    if (!user?.isActive) throw new UnauthorizedError('the account is deactivated');
    return principalOf(user, 'session', null, [], sessionId);
  }

  /** Who is asking, where, and whether they may: what every route handler receives. */
  resolveContext = async (req: Request, route: ApiRoute): Promise<RequestContext> => {
    const access = accessOf(route);
    const ip = clientIp(req);
    const userAgent = req.get('user-agent') ?? null;
    const base = { ip, userAgent };
    if (access.scope === 'public') return withoutWorkspace({ ...base, principal: null, role: null });
    const principal = await this.authenticate(req);
    if (!principal) throw new UnauthorizedError();
    if (access.scope === 'user') return withoutWorkspace({ ...base, principal, role: null });
    if (access.scope === 'platform') {
      checkScope(principal, SCOPE_OF_PLATFORM_NEED[access.need]);
      if (!(PLATFORM_NEEDS[access.need] as readonly string[]).includes(principal.platformRole))
        throw new ForbiddenError(
          `${route.method.toUpperCase()} ${route.path} needs the platform role ${PLATFORM_NEEDS[access.need].join(' or ')}; you are ${principal.platformRole}`,
        );
      return withoutWorkspace({ ...base, principal, role: null });
    }
    const { workspace, role } = await this.workspaceOf(req, principal);
    checkScope(principal, access.need);
    if (role !== 'ADMIN' && !WORKSPACE_NEEDS[access.need].includes(role))
      throw new ForbiddenError(
        `${route.method.toUpperCase()} ${route.path} needs the ${WORKSPACE_NEEDS[access.need].join(' or ')} role in workspace "${workspace.slug}"; you are ${role}`,
      );
    return { ...base, principal, workspace, role };
  };

  /** The workspace a request acts in, and the caller's role there. */
  async workspaceOf(
    req: Request,
    principal: Principal,
  ): Promise<{ workspace: Workspace; role: WorkspaceRole | 'ADMIN' }> {
    const workspaces = new WorkspaceRepository(this.deps.db);
    const memberships = await new UserRepository(this.deps.db).memberships(principal.userId);
    const isAdmin = principal.platformRole === 'ADMIN';
    const named = req.get(WORKSPACE_HEADER);
    let workspace: Workspace | null;
    if (named) {
      workspace = await workspaces.findBySlug(named);
      if (!workspace && isAdmin) throw new NotFoundError('workspace', named);
    } else if (principal.keyWorkspaceId) {
      workspace = await workspaces.get(principal.keyWorkspaceId);
    } else {
      workspace = await workspaces.findBySlug(this.opts.defaultWorkspace);
      if (!isAdmin && (!workspace || !memberships.has(workspace.id))) {
        const first = [...memberships.keys()][0];
        workspace = first ? await workspaces.get(first) : null;
        if (!workspace)
          throw new ForbiddenError(
            'you belong to no workspace: ask a workspace owner to add you, or create one with POST /api/v1/workspaces',
          );
      }
    }
    if (principal.keyWorkspaceId && workspace?.id !== principal.keyWorkspaceId)
      throw new ForbiddenError('this API key is bound to another workspace');
    const role = workspace ? memberships.get(workspace.id) : undefined;
    if (!workspace || (!role && !isAdmin))
      // Whether a workspace one does not belong to exists is not told.
      throw new ForbiddenError(`you are not a member of workspace "${named}"`);
    return { workspace, role: role ?? 'ADMIN' };
  }

  /** Records a mutating request in the audit log (failed attempts too), off the answer's path. */
  audit = (r: MutationRecord): void => {
    const entry = auditEntry(r);
    new AuditRepository(this.deps.db)
      .add(entry)
      .catch((error) => this.deps.log.error({ err: error, action: entry.action }, 'audit log write failed'));
  };
}

function principalOf(
  user: User,
  via: Principal['via'],
  keyWorkspaceId: string | null,
  keyScopes: string[],
  sessionId: string | null,
): Principal {
  return {
    sessionId,
    userId: user.id,
    username: user.username,
    email: user.email,
    platformRole: user.role,
    via,
    keyWorkspaceId,
    keyScopes,
  };
}

function checkScope(principal: Principal, need: (typeof KEY_SCOPES)[number]): void {
  if (!principal.keyScopes.length) return;
  const has = Math.max(
    ...principal.keyScopes.map((s) => KEY_SCOPES.indexOf(s as (typeof KEY_SCOPES)[number])),
  );
  if (has < KEY_SCOPES.indexOf(need))
    throw new ForbiddenError(
      `this API key's scopes (${principal.keyScopes.join(', ')}) do not allow "${need}"`,
    );
}

/** A context for routes that act in no workspace: reading its workspace is a programming error. */
function withoutWorkspace(ctx: Omit<RequestContext, 'workspace'>): RequestContext {
  return Object.defineProperty(ctx, 'workspace', {
    get() {
      throw new Error('this route acts in no workspace');
    },
  }) as RequestContext;
}

function auditEntry(r: MutationRecord): AuditFields {
  const ctx = r.ctx;
  const result = (r.result ?? {}) as Record<string, unknown>;
  const body = (r.body ?? {}) as Record<string, unknown>;
  const user = (result.user ?? null) as { id?: string; email?: string; role?: string } | null;
  let workspaceId: string | null;
  try {
    workspaceId = ctx?.workspace?.id ?? null;
  } catch {
    // A route that acts in no workspace.
    workspaceId = null;
  }
  const paramValues = Object.values(r.params).map(String);
  const problem = r.error ? toProblem(r.error) : null;
  const access: Access = accessOf(r.route);
  return {
    workspaceId,
    userId: ctx?.principal?.userId ?? user?.id ?? null,
    userEmail: ctx?.principal?.email ?? user?.email ?? null,
    userRole: ctx?.principal
      ? `${ctx.principal.platformRole}${ctx.role && ctx.role !== 'ADMIN' ? `/${ctx.role}` : ''}`
      : (user?.role ?? null),
    action: `${r.route.method.toUpperCase()} ${r.route.path}`,
    category: CATEGORIES[r.route.tag] ?? (r.route.path.startsWith('/pools') ? 'POOL' : 'SYSTEM'),
    resourceType: r.route.tag,
    resourceId: typeof result.id === 'string' ? result.id : (paramValues.at(-1) ?? null),
    resourceName:
      typeof result.name === 'string'
        ? result.name
        : typeof body.name === 'string'
          ? body.name
          : typeof body.username === 'string'
            ? body.username
            : null,
    description: r.route.summary,
    details: {
      params: r.params,
      body: maskSecrets(r.body) ?? null,
      status: r.status,
      access: access.scope,
      via: ctx?.principal?.via ?? null,
    },
    ipAddress: r.ip,
    userAgent: r.userAgent,
    status: r.error ? 'FAILURE' : 'SUCCESS',
    errorMessage: problem ? problem.detail : null,
  };
}

/** The access control of a platform's database and cache, with its configured limits. */
export function accessControlFor(
  platform: { db: SqlDatabase; coordination: { cache: Cache }; config: { rateLimits: RateLimits } },
  log: Logger,
  defaultWorkspace = 'default',
): AccessControl {
  return new AccessControl(
    { db: platform.db, cache: platform.coordination.cache, log },
    { defaultWorkspace, limits: platform.config.rateLimits },
  );
}
