import express, { type Request } from 'express';
import type { Logger } from '@verdict/config';
import {
  mountRoutes,
  problemHandler,
  ProblemError,
  type ApiRoute,
  type MutationRecord,
  type RequestContext,
} from './http';
import { openApiDocument } from './openapi';

export const API_PREFIX = '/api/v1';
/** Names the workspace a request acts in, by slug; without it, the default workspace. */
export const WORKSPACE_HEADER = 'x-verdict-workspace';

/**
 * An express app serving the routes under /api/v1 with their OpenAPI document at
 * /api/v1/openapi.json; unknown paths and methods answer 404/405 as problem+json.
 */
export function createApiApp(opts: {
  routes: ApiRoute[];
  title: string;
  version?: string;
  log: Logger;
  resolveContext: (req: Request, route: ApiRoute) => Promise<RequestContext>;
  /** Told of every mutating request once answered, failed ones too (the audit log). */
  audit?: (record: MutationRecord) => void;
  /** Largest JSON body accepted. */
  bodyLimit?: string;
}): express.Express {
  const { routes } = opts;
  const document = openApiDocument(routes, { title: opts.title, version: opts.version ?? '0.1.0' });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const router = express.Router();
  router.use(
    express.json({
      limit: opts.bodyLimit ?? '1mb',
      // Kept for handlers that check a signature over the exact bytes (CI webhooks).
      verify: (req, _res, buf) => {
        (req as typeof req & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );
  router.get('/openapi.json', (_req, res) => void res.json(document));
  mountRoutes(router, routes, opts.resolveContext, opts.audit);
  router.use((req, _res, next) => {
    const allowed = routes.filter((r) => matches(r.path, req.path)).map((r) => r.method.toUpperCase());
    next(
      allowed.length
        ? new ProblemError(
            405,
            'Method Not Allowed',
            `${req.method} ${req.path} is not allowed; use ${allowed.join(', ')}`,
          )
        : new ProblemError(
            404,
            'Not Found',
            `no API route ${req.method} ${req.path}; see ${API_PREFIX}/openapi.json`,
          ),
    );
  });
  router.use(problemHandler(opts.log));
  app.use(API_PREFIX, router);
  app.use((req, _res, next) =>
    next(
      new ProblemError(
        404,
        'Not Found',
        `no route ${req.method} ${req.path}; the API is under ${API_PREFIX}`,
      ),
    ),
  );
  app.use(problemHandler(opts.log));
  return app;
}

function matches(template: string, path: string): boolean {
  const re = new RegExp(`^${template.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`);
  return re.test(path);
}
