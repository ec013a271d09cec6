import { z } from 'zod';
import {
  ApiKey,
  AuditCategory,
  AuditLogEntry,
  ConflictError,
  ForbiddenError,
  Id,
  Name,
  NotFoundError,
  PlatformRole,
  Slug,
  User,
  Username,
  ValidationError,
  Workspace,
  WorkspaceRole,
} from '@verdict/contracts';
import {
  hashPassword,
  KEY_SCOPES,
  newApiKey,
  sha256,
  verifyPassword,
  type AccessControl,
} from '@verdict/auth';
import {
  ApiKeyRepository,
  AuditRepository,
  MembershipRepository,
  UserRepository,
  WorkspaceRepository,
  type SqlDatabase,
} from '@verdict/db';
import {
  found,
  nonEmpty,
  pageOf,
  PageQuery,
  PUBLIC,
  route,
  SIGNED_IN,
  type RequestContext,
} from '@verdict/http';

const Password = z.string().min(12, 'at least 12 characters').max(200);
const Session = z.object({ token: z.string(), expiresAt: z.string(), user: User });
const Me = User.extend({
  workspaces: z.array(Workspace.extend({ role: WorkspaceRole.nullable() })),
  via: z.enum(['session', 'api-key']),
});
const Member = z.object({
  userId: Id,
  username: z.string(),
  email: z.string(),
  fullName: z.string(),
  role: WorkspaceRole,
  joinedAt: z.string(),
});
const NewApiKey = ApiKey.extend({ key: z.string().describe('The key itself: shown this once, never again') });
const When = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const isAdmin = (ctx: RequestContext) => ctx.principal?.platformRole === 'ADMIN';

/** Sign-in, users, workspaces and their members, API keys, the audit log. */
export function identityRoutes(db: SqlDatabase, access: AccessControl) {
  const users = new UserRepository(db);
  const members = new MembershipRepository(db);
  const workspaces = new WorkspaceRepository(db);
  const keys = new ApiKeyRepository(db);
  const self = (ctx: RequestContext) => ctx.principal!;

  /** The workspace named in the path, if the caller may manage it (owners, admins). */
  const managed = async (ctx: RequestContext, slug: string, need: 'read' | 'manage') => {
    const ws = await workspaces.findBySlug(slug);
    const role = ws ? (await users.memberships(self(ctx).userId)).get(ws.id) : undefined;
    if (!ws || (!role && !isAdmin(ctx)))
      throw new ForbiddenError(`you are not a member of workspace "${slug}"`);
    if (need === 'manage' && role !== 'OWNER' && !isAdmin(ctx))
      throw new ForbiddenError(`only an OWNER of workspace "${slug}" (or an ADMIN) can do this`);
    return ws;
  };

  return [
    route({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary:
        'Sign in with a username (or email) and password: a session token valid 24 hours. Rate limited',
      access: PUBLIC,
      body: z.strictObject({ login: z.string().min(1).max(255), password: z.string().min(1).max(200) }),
      response: Session,
      handler: ({ body, ctx }) => access.login(body.login, body.password, ctx.ip),
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      summary: 'End this session',
      access: SIGNED_IN,
      status: 204,
      handler: ({ ctx }) => access.endSession(self(ctx)),
    }),
    route({
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      summary: 'Who is signed in: the user, their platform role and their workspaces with their role in each',
      access: SIGNED_IN,
      response: Me,
      handler: async ({ ctx }) => {
        const user = (await users.get(self(ctx).userId))!;
        const mine = await members.workspacesOf(user.id, { limit: 1000, offset: 0 });
        return { ...user, workspaces: mine.items, via: self(ctx).via };
      },
    }),
    route({
      method: 'put',
      path: '/auth/password',
      tag: 'auth',
      summary: 'Change your own password (the current one is asked for)',
      access: SIGNED_IN,
      body: z.strictObject({ current: z.string().min(1), password: Password }),
      status: 204,
      handler: async ({ body, ctx }) => {
        const me = await users.findForLogin(self(ctx).username);
        if (!me || !(await verifyPassword(body.current, me.passwordHash)))
          throw new ValidationError('the current password is wrong', 'current');
        await users.update(me.id, { passwordHash: await hashPassword(body.password) });
      },
    }),

    // ---- users (admins)
    route({
      method: 'post',
      path: '/users',
      tag: 'users',
      summary:
        'Create a user (ADMIN): unique username and email, a password of 12 characters or more, a platform role',
      access: { scope: 'platform', need: 'admin' },
      body: z.strictObject({
        username: Username,
        email: z.email(),
        fullName: Name,
        password: Password,
        role: PlatformRole.default('USER'),
      }),
      response: User,
      status: 201,
      location: (u: User) => `/users/${u.id}`,
      handler: async ({ body }) => users.create({ ...body, passwordHash: await hashPassword(body.password) }),
    }),
    route({
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'List users (ADMIN)',
      access: { scope: 'platform', need: 'admin' },
      query: PageQuery.extend({
        role: PlatformRole.optional(),
        search: z.string().max(100).optional(),
      }),
      response: pageOf(User),
      handler: ({ query }) => users.list(query, query),
    }),
    route({
      method: 'get',
      path: '/users/:userId',
      tag: 'users',
      summary: 'Get a user (ADMIN, or yourself)',
      access: SIGNED_IN,
      params: z.object({ userId: Id }),
      response: User,
      handler: async ({ params, ctx }) => {
        if (!isAdmin(ctx) && params.userId !== self(ctx).userId)
          throw new ForbiddenError('only an ADMIN can read other users');
        return found('user', params.userId, users.get(params.userId));
      },
    }),
    route({
      method: 'patch',
      path: '/users/:userId',
      tag: 'users',
      summary: 'Change a user (ADMIN): email, name, platform role, active, a new password',
      access: { scope: 'platform', need: 'admin' },
      params: z.object({ userId: Id }),
      body: nonEmpty(
        z.strictObject({
          email: z.email().optional(),
          fullName: Name.optional(),
          role: PlatformRole.optional(),
          isActive: z.boolean().optional(),
          password: Password.optional(),
        }),
      ),
      response: User,
      handler: async ({ params, body, ctx }) => {
        await found('user', params.userId, users.get(params.userId));
        if (
          params.userId === self(ctx).userId &&
          (body.isActive === false || (body.role && body.role !== 'ADMIN'))
        )
          throw new ValidationError(
            'an ADMIN cannot deactivate or demote themselves',
            body.role ? 'role' : 'isActive',
          );
        const { password, ...rest } = body;
        return (await users.update(params.userId, {
          ...rest,
          ...(password ? { passwordHash: await hashPassword(password) } : {}),
        }))!;
      },
    }),

    // ---- workspaces and members
    route({
      method: 'post',
      path: '/workspaces',
      tag: 'workspaces',
      summary: 'Create a workspace; you become its OWNER',
      access: SIGNED_IN,
      body: z.strictObject({
        name: Name,
        slug: Slug,
        description: z.string().max(2000).nullable().default(null),
      }),
      response: Workspace,
      status: 201,
      location: (w: Workspace) => `/workspaces/${w.slug}`,
      handler: async ({ body, ctx }) => {
        if (await workspaces.findBySlug(body.slug))
          throw new ConflictError(`slug "${body.slug}" is already taken`, { field: 'slug' });
        const ws = await db.transaction(async (tx) => {
          const w = await new WorkspaceRepository(tx).create(body.name, body.slug, self(ctx).userId);
          await new MembershipRepository(tx).put(w.id, self(ctx).userId, 'OWNER');
          return w;
        });
        return body.description
          ? (await workspaces.update(ws.id, { description: body.description }))!
          : (await workspaces.get(ws.id))!;
      },
    }),
    route({
      method: 'get',
      path: '/workspaces',
      tag: 'workspaces',
      summary: 'The workspaces you belong to, with your role (an ADMIN sees all)',
      access: SIGNED_IN,
      query: PageQuery,
      response: pageOf(Workspace.extend({ role: WorkspaceRole.nullable() })),
      handler: ({ query, ctx }) => members.workspacesOf(isAdmin(ctx) ? null : self(ctx).userId, query),
    }),
    route({
      method: 'get',
      path: '/workspaces/:slug',
      tag: 'workspaces',
      summary: 'Get a workspace you belong to',
      access: SIGNED_IN,
      params: z.object({ slug: Slug }),
      response: Workspace,
      handler: ({ params, ctx }) => managed(ctx, params.slug, 'read'),
    }),
    route({
      method: 'patch',
      path: '/workspaces/:slug',
      tag: 'workspaces',
      summary: 'Rename or describe a workspace (OWNER)',
      access: SIGNED_IN,
      params: z.object({ slug: Slug }),
      body: nonEmpty(
        z.strictObject({ name: Name.optional(), description: z.string().max(2000).nullable().optional() }),
      ),
      response: Workspace,
      handler: async ({ params, body, ctx }) => {
        const ws = await managed(ctx, params.slug, 'manage');
        return (await workspaces.update(ws.id, body))!;
      },
    }),
    route({
      method: 'delete',
      path: '/workspaces/:slug',
      tag: 'workspaces',
      summary: 'Delete a workspace and everything in it (OWNER; the default workspace stays)',
      access: SIGNED_IN,
      params: z.object({ slug: Slug }),
      status: 204,
      handler: async ({ params, ctx }) => {
        const ws = await managed(ctx, params.slug, 'manage');
        if (ws.slug === 'default')
          throw new ValidationError('the default workspace cannot be deleted', 'slug');
        await workspaces.delete(ws.id);
      },
    }),
    route({
      method: 'get',
      path: '/workspaces/:slug/members',
      tag: 'workspaces',
      summary: "A workspace's members and their roles",
      access: SIGNED_IN,
      params: z.object({ slug: Slug }),
      query: PageQuery,
      response: pageOf(Member),
      handler: async ({ params, query, ctx }) =>
        members.members((await managed(ctx, params.slug, 'read')).id, query),
    }),
    route({
      method: 'put',
      path: '/workspaces/:slug/members/:username',
      tag: 'workspaces',
      summary: 'Add a user to a workspace, or change their role (OWNER)',
      access: SIGNED_IN,
      params: z.object({ slug: Slug, username: Username }),
      body: z.strictObject({ role: WorkspaceRole }),
      response: Member,
      handler: async ({ params, body, ctx }) => {
        const ws = await managed(ctx, params.slug, 'manage');
        const user = await users.findByUsername(params.username);
        if (!user) throw new NotFoundError('user', params.username);
        const owners = await members.owners(ws.id);
        if (body.role !== 'OWNER' && owners.length === 1 && owners[0] === user.id)
          throw new ValidationError('a workspace keeps at least one OWNER', 'role');
        await members.put(ws.id, user.id, body.role);
        const page = await members.members(ws.id, { limit: 1000, offset: 0 });
        return page.items.find((m) => m.userId === user.id)!;
      },
    }),
    route({
      method: 'delete',
      path: '/workspaces/:slug/members/:username',
      tag: 'workspaces',
      summary: 'Remove a user from a workspace (OWNER); the last OWNER stays',
      access: SIGNED_IN,
      params: z.object({ slug: Slug, username: Username }),
      status: 204,
      handler: async ({ params, ctx }) => {
        const ws = await managed(ctx, params.slug, 'manage');
        const user = await users.findByUsername(params.username);
        if (!user) throw new NotFoundError('user', params.username);
        const owners = await members.owners(ws.id);
        if (owners.length === 1 && owners[0] === user.id)
          throw new ValidationError('a workspace keeps at least one OWNER', 'username');
        if (!(await members.remove(ws.id, user.id))) throw new NotFoundError('member', params.username);
      },
    }),

    // ---- API keys
    route({
      method: 'post',
      path: '/api-keys',
      tag: 'api keys',
      summary:
        'Create an API key for yourself: answered once, kept only as a hash. Bind it to a workspace and narrow its scopes (read, run, write, manage) for CI',
      access: SIGNED_IN,
      body: z.strictObject({
        name: Name,
        workspace: Slug.nullable().default(null).describe('Bind the key to this workspace'),
        scopes: z.array(z.enum(KEY_SCOPES)).default([]),
        expiresAt: When.nullable().default(null),
      }),
      response: NewApiKey,
      status: 201,
      handler: async ({ body, ctx }) => {
        if (body.expiresAt && body.expiresAt <= new Date())
          throw new ValidationError('expiresAt is in the past', 'expiresAt');
        let workspaceId: string | null = null;
        if (body.workspace) workspaceId = (await managed(ctx, body.workspace, 'read')).id;
        const { key, prefix } = newApiKey();
        const saved = await keys.create({
          userId: self(ctx).userId,
          workspaceId,
          name: body.name,
          prefix,
          keyHash: sha256(key),
          scopes: body.scopes,
          expiresAt: body.expiresAt,
        });
        return { ...saved, key };
      },
    }),
    route({
      method: 'get',
      path: '/api-keys',
      tag: 'api keys',
      summary: 'Your API keys (never the keys themselves)',
      access: SIGNED_IN,
      query: PageQuery,
      response: pageOf(ApiKey),
      handler: ({ query, ctx }) => keys.list(self(ctx).userId, query),
    }),
    route({
      method: 'delete',
      path: '/api-keys/:keyId',
      tag: 'api keys',
      summary: 'Revoke one of your API keys; it stops working at once',
      access: SIGNED_IN,
      params: z.object({ keyId: Id }),
      status: 204,
      handler: async ({ params, ctx }) => {
        await found('API key', params.keyId, keys.revoke(self(ctx).userId, params.keyId));
      },
    }),

    // ---- audit log
    route({
      method: 'get',
      path: '/audit-logs',
      tag: 'audit',
      summary: 'The audit log (ADMIN): every mutating action, failed ones too, newest first',
      access: { scope: 'platform', need: 'admin' },
      query: PageQuery.extend({
        workspace: Slug.optional(),
        userId: Id.optional(),
        category: AuditCategory.optional(),
        action: z.string().max(100).optional(),
        status: z.enum(['SUCCESS', 'FAILURE']).optional(),
        resourceType: z.string().max(100).optional(),
        resourceId: z.string().max(255).optional(),
        from: When.optional(),
        to: When.optional(),
      }),
      response: pageOf(AuditLogEntry),
      handler: async ({ query }) => {
        let workspaceId: string | undefined;
        if (query.workspace) {
          const ws = await workspaces.findBySlug(query.workspace);
          if (!ws) throw new NotFoundError('workspace', query.workspace);
          workspaceId = ws.id;
        }
        return new AuditRepository(db).list({ ...query, workspaceId }, query);
      },
    }),
  ];
}
