import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  NotFoundError,
  ForbiddenError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  type PlatformRole,
  type Workspace,
  type WorkspaceRole,
} from '@verdict/contracts';
import type { Logger } from '@verdict/config';

/** Who is asking: a signed-in user (by session or API key), with their platform role. */
export interface Principal {
  userId: string;
  username: string;
  email: string;
  platformRole: PlatformRole;
  via: 'session' | 'api-key';
  /** An API key bound to one workspace acts only there. */
  keyWorkspaceId: string | null;
  /** An API key's scopes (read, run, write, manage); empty: everything the user may do. */
  keyScopes: string[];
  /** For a session: the hash it is kept under (sign-out forgets it). */
  sessionId: string | null;
}

/**
 * Who may call a route. `workspace` routes act in one workspace (the X-Verdict-Workspace
 * header's, else the caller's default) and need a workspace role: read (any member), run
 * (members: executions, the stub manager), write and manage (owners). `platform` routes act on
 * shared resources (the fleet) or administer the platform. `user` routes need a signed-in user
 * and no workspace; `public` routes need nobody (login, CI webhooks, the OpenAPI document).
 */
export type Access =
  | { scope: 'public' }
  | { scope: 'user' }
  | { scope: 'platform'; need: 'read' | 'fleet' | 'admin' }
  | { scope: 'workspace'; need: 'read' | 'run' | 'write' | 'manage' };

export const RUN: Access = { scope: 'workspace', need: 'run' };
export const MANAGE: Access = { scope: 'workspace', need: 'manage' };
export const PUBLIC: Access = { scope: 'public' };
export const SIGNED_IN: Access = { scope: 'user' };

/** A route's access: as declared, else workspace read for GET and workspace write otherwise. */
export const accessOf = (r: Pick<ApiRoute, 'access' | 'method'>): Access =>
  r.access ?? { scope: 'workspace', need: r.method === 'get' ? 'read' : 'write' };

/** Who is asking, resolved once per request. */
export interface RequestContext {
  /** The workspace acted in (workspace routes only). */
  workspace: Workspace;
  /** Null only on public routes. */
  principal: Principal | null;
  /** The caller's role in the workspace (ADMIN for platform admins who are not members). */
  role: WorkspaceRole | 'ADMIN' | null;
  ip: string | null;
  userAgent: string | null;
}

/** What the audit hook is told of each mutating request, once it is answered. */
export interface MutationRecord {
  route: ApiRoute;
  params: Record<string, unknown>;
  body: unknown;
  ctx: RequestContext | null;
  ip: string | null;
  userAgent: string | null;
  status: number;
  result: unknown;
  error: unknown;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * One API operation: its path, the zod schemas of its path parameters, query and body, the
 * schema of its answer, and the handler. The same object routes requests, validates them and
 * writes the OpenAPI document, so the three cannot drift apart.
 */
export interface ApiRoute {
  method: Method;
  /** Express-style path under /api/v1, e.g. /projects/:projectId */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Success status: 200 unless given (201 for creations, 202 for accepted, 204 for no content). */
  status?: 200 | 201 | 202 | 204;
  /** For 201: where the created resource lives. */
  location?: (result: never) => string;
  access?: Access;
  handler: (input: {
    params: never;
    query: never;
    body: never;
    ctx: RequestContext;
    accept: string;
    request: RawRequest;
  }) => Promise<unknown>;
}

/** The request as it came, for handlers that check signatures over the exact bytes. */
export interface RawRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes as received (JSON bodies only). */
  rawBody: Buffer | undefined;
}

/** An answer that is not JSON (an HTML or XML report): sent as it is, with its media type. */
export class RawBody {
  constructor(
    readonly contentType: string,
    readonly body: string,
    /** Offered as a download under this name. */
    readonly filename?: string,
  ) {}
}

/** Typed at definition, erased in the route table. */
export function route<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R = unknown,
>(spec: {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  status?: 200 | 201 | 202 | 204;
  location?: (result: R) => string;
  access?: Access;
  handler: (input: {
    params: P extends z.ZodObject ? z.output<P> : Record<string, never>;
    query: Q extends z.ZodObject ? z.output<Q> : Record<string, never>;
    body: B extends z.ZodType ? z.output<B> : undefined;
    ctx: RequestContext;
    /** The request's Accept header, for content negotiation. */
    accept: string;
    request: RawRequest;
  }) => Promise<R>;
}): ApiRoute {
  return spec as unknown as ApiRoute;
}

/** A request that fails its schema: every issue, each with the field it is about. */
export class RequestValidationError extends ValidationError {
  constructor(
    readonly location: 'path' | 'query' | 'body',
    readonly issues: { field: string; message: string }[],
  ) {
    super(
      `${location === 'path' ? 'path parameter' : location} ${issues[0].field}: ${issues[0].message}`,
      issues[0].field,
    );
  }
}

function fieldOf(location: string, path: PropertyKey[]): string {
  const parts = path.map(String);
  if (location === 'body') return parts.length ? parts.join('.') : 'body';
  return parts.join('.') || location;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, location: 'path' | 'query' | 'body'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new RequestValidationError(
    location,
    r.error.issues.map((i) => ({ field: fieldOf(location, i.path), message: i.message })),
  );
}

/** Registers every route on the router: validation in, JSON out, errors to next(). */
export function mountRoutes(
  router: Router,
  routes: ApiRoute[],
  resolveContext: (req: Request, route: ApiRoute) => Promise<RequestContext>,
  audit?: (record: MutationRecord) => void,
): void {
  for (const r of routes) {
    router[r.method](r.path, async (req: Request, res: Response, next: NextFunction) => {
      let ctx: RequestContext | null = null;
      const record = (status: number, result: unknown, error: unknown) => {
        if (!audit || r.method === 'get') return;
        audit({
          route: r,
          params: req.params,
          body: req.body,
          ctx,
          ip: req.ip ?? req.socket.remoteAddress ?? null,
          userAgent: req.get('user-agent') ?? null,
          status,
          result,
          error,
        });
      };
      try {
        // Who is asking comes first: a caller who may not act learns nothing from validation.
        ctx = await resolveContext(req, r);
        const params = r.params ? parseOrThrow(r.params, req.params, 'path') : {};
        const query = r.query ? parseOrThrow(r.query, req.query, 'query') : {};
        let body: unknown;
        if (r.body) {
          const hasBody =
            Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
          if (hasBody && !req.is('application/json'))
            throw new ProblemError(
              415,
              'Unsupported Media Type',
              'send the body as JSON with Content-Type: application/json',
            );
          body = parseOrThrow(r.body, hasBody ? req.body : {}, 'body');
        }
        const result = await r.handler({
          params,
          query,
          body,
          ctx,
          accept: req.get('accept') ?? '',
          request: { headers: req.headers, rawBody: (req as Request & { rawBody?: Buffer }).rawBody },
        } as never);
        const status = r.status ?? 200;
        record(status, result, null);
        if (status === 204) return void res.status(204).end();
        if (result instanceof RawBody) {
          if (result.filename) res.attachment(result.filename);
          return void res.status(status).type(result.contentType).send(result.body);
        }
        if (status === 201 && r.location) res.location(`${req.baseUrl}${r.location(result as never)}`);
        res.status(status).json(result);
      } catch (error) {
        record(toProblem(error).status, null, error);
        next(error);
      }
    });
  }
}

/** An HTTP answer that is not a domain error (415, 413…). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  field?: string;
  errors?: { field: string; message: string }[];
}

/** The unique constraints a client can break, and the field each is about. */
const UNIQUE_FIELDS: Record<string, string> = {
  projects_workspace_slug_unique: 'slug',
  test_suites_name_unique: 'name',
  test_environments_name_unique: 'name',
  pools_name_key: 'name',
  users_username_key: 'username',
  users_email_key: 'email',
  workspaces_slug_key: 'slug',
  mocks_name_unique: 'name',
  mocks_port_unique: 'port',
  mock_routes_method_path_unique: 'path',
  mock_response_sets_name_unique: 'name',
  scenarios_name_unique: 'name',
  schedules_suite_name_unique: 'name',
  pool_schedules_pool_name_unique: 'name',
};

/** Maps any error to RFC 9457 problem details: the one place errors become HTTP. */
export function toProblem(error: unknown): Problem {
  const base = (status: number, title: string, detail: string, extra: Partial<Problem> = {}): Problem => ({
    type: 'about:blank',
    title,
    status,
    detail,
    ...extra,
  });
  if (error instanceof RequestValidationError)
    return base(400, 'Bad Request', error.message, {
      code: error.code,
      field: error.field,
      errors: error.issues,
    });
  if (error instanceof ValidationError)
    return base(400, 'Bad Request', error.message, {
      code: error.code,
      field: error.field,
      errors: error.field ? [{ field: error.field, message: error.message }] : undefined,
    });
  if (error instanceof NotFoundError) return base(404, 'Not Found', error.message, { code: error.code });
  if (error instanceof ConflictError)
    return base(409, 'Conflict', error.message, { code: error.code, field: error.details.field as string });
  if (error instanceof UnauthorizedError)
    return base(401, 'Unauthorized', error.message, { code: error.code });
  if (error instanceof ForbiddenError) return base(403, 'Forbidden', error.message, { code: error.code });
  if (error instanceof TooManyRequestsError)
    return base(429, 'Too Many Requests', error.message, { code: error.code });
  if (error instanceof UnavailableError)
    return base(503, 'Service Unavailable', error.message, { code: error.code });
  if (error instanceof DomainError) return base(400, 'Bad Request', error.message, { code: error.code });
  if (error instanceof ProblemError) return base(error.status, error.title, error.detail);
  const e = error as { code?: string; constraint?: string; type?: string; status?: number; detail?: string };
  if (e?.type === 'entity.parse.failed')
    return base(400, 'Bad Request', `the body is not valid JSON: ${(error as Error).message}`, {
      field: 'body',
    });
  if (e?.type === 'entity.too.large') return base(413, 'Content Too Large', 'the body is larger than 1 MB');
  if (e?.code === '23505') {
    const field =
      (e.constraint && UNIQUE_FIELDS[e.constraint]) ??
      /Key \((?:[^)]*, )?([^),]+)\)/.exec(e.detail ?? '')?.[1];
    return base(409, 'Conflict', `${field ?? 'a field'} is already taken${e.detail ? `: ${e.detail}` : ''}`, {
      code: 'conflict',
      field,
    });
  }
  if (e?.code === '23514' || e?.code === '22P02')
    return base(400, 'Bad Request', (error as Error).message, { code: 'validation_failed' });
  return base(500, 'Internal Server Error', 'an unexpected error happened; it is logged with this request', {
    code: 'internal',
  });
}

export function problemHandler(log: Logger) {
  // Express recognises error handlers by their four parameters.
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const problem = { ...toProblem(error), instance: req.originalUrl };
    if (problem.status >= 500) log.error({ err: error, url: req.originalUrl }, 'API request failed');
    if (error instanceof UnauthorizedError) res.set('www-authenticate', 'Bearer realm="verdict"');
    if (error instanceof TooManyRequestsError) res.set('retry-after', String(error.retryAfterS));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.string().optional(),
  field: z.string().optional().describe('The request field that is wrong, as a dotted path'),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** A page of any item schema: the shape every list endpoint answers with. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
