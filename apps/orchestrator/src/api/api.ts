import express, { type Request } from 'express';
import type { Logger } from '@verdict/config';
import { NotFoundError } from '@verdict/contracts';
import { DEFAULT_WORKSPACE, WorkspaceRepository, type SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import type { JobQueue } from '@verdict/queue';
import { mountRoutes, problemHandler, ProblemError, type ApiRoute, type RequestContext } from './http';
import { openApiDocument } from './openapi';
import { environmentRoutes } from './routes/environments';
import { executionRoutes } from './routes/executions';
import { fleetRoutes } from './routes/fleet';
import { notificationRoutes } from './routes/notifications';
import { projectRoutes } from './routes/projects';
import { reportRoutes } from './routes/reports';
import { suiteRoutes } from './routes/suites';
import { testCaseRoutes } from './routes/test-cases';

export const API_PREFIX = '/api/v1';
/** Names the workspace a request acts in, by slug; without it, the default workspace. */
export const WORKSPACE_HEADER = 'x-verdict-workspace';

export interface ApiDeps {
  db: SqlDatabase;
  queue: JobQueue;
  docstore: DocumentStore;
  log: Logger;
  defaultWorkspace: string;
  version?: string;
}

export function apiRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    ...projectRoutes(deps.db),
    ...suiteRoutes(deps.db),
    ...environmentRoutes(deps.db),
    ...executionRoutes(deps.db, deps.queue),
    ...testCaseRoutes(deps.db),
    ...fleetRoutes(deps.db, deps.queue),
    ...reportRoutes(deps.db, deps.docstore),
    ...notificationRoutes(deps.db),
  ];
}

/** The orchestrator's HTTP API under /api/v1, with its OpenAPI document at /api/v1/openapi.json. */
export function createApi(deps: ApiDeps): express.Express {
  const routes = apiRoutes(deps);
  const document = openApiDocument(routes, { title: 'Verdict', version: deps.version ?? '0.1.0' });
  const workspaces = new WorkspaceRepository(deps.db);
  const resolveContext = async (req: Request): Promise<RequestContext> => {
    const slug = req.get(WORKSPACE_HEADER) ?? deps.defaultWorkspace;
    const workspace = await workspaces.findBySlug(slug);
    if (!workspace) throw new NotFoundError('workspace', slug);
    return { workspace };
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/openapi.json', (_req, res) => void res.json(document));
  mountRoutes(router, routes, resolveContext);
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
  router.use(problemHandler(deps.log));
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
  app.use(problemHandler(deps.log));
  return app;
}

function matches(template: string, path: string): boolean {
  const re = new RegExp(`^${template.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`);
  return re.test(path);
}

/** The API on a platform's database and queue, acting in the seeded default workspace. */
export function createPlatformApi(
  platform: { db: SqlDatabase; coordination: { queue: JobQueue }; docstore: DocumentStore },
  log: Logger,
): express.Express {
  return createApi({
    db: platform.db,
    queue: platform.coordination.queue,
    docstore: platform.docstore,
    log,
    defaultWorkspace: DEFAULT_WORKSPACE.slug,
  });
}
