import type express from 'express';
import type { Logger } from '@verdict/config';
import { DEFAULT_WORKSPACE, WorkspaceRepository, type SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import type { JobQueue } from '@verdict/queue';
import { API_PREFIX, createApiApp, workspaceResolver, WORKSPACE_HEADER, type ApiRoute } from '@verdict/http';
import { environmentRoutes } from './routes/environments';
import { executionRoutes } from './routes/executions';
import { fleetRoutes } from './routes/fleet';
import { notificationRoutes } from './routes/notifications';
import { projectRoutes } from './routes/projects';
import { reportRoutes } from './routes/reports';
import { suiteRoutes } from './routes/suites';
import { testCaseRoutes } from './routes/test-cases';

export { API_PREFIX };
export { WORKSPACE_HEADER };

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
  return createApiApp({
    routes: apiRoutes(deps),
    title: 'Verdict',
    version: deps.version,
    log: deps.log,
    resolveContext: workspaceResolver(
      (slug) => new WorkspaceRepository(deps.db).findBySlug(slug),
      deps.defaultWorkspace,
    ),
  });
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
