import type express from 'express';
import type { Logger } from '@verdict/config';
import { accessControlFor, type AccessControl, type RateLimits } from '@verdict/auth';
import { DEFAULT_WORKSPACE, type SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import type { Cache, JobQueue } from '@verdict/queue';
import { API_PREFIX, createApiApp, WORKSPACE_HEADER, type ApiRoute } from '@verdict/http';
import { hookRoutes } from './routes/hooks';
import { identityRoutes } from './routes/identity';
import { scheduleRoutes } from './routes/schedules';
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
  /** Who is asking and what they may do, on every route. */
  access: AccessControl;
  /** Where people and CI providers reach this server (webhook URLs). */
  publicUrl?: string;
  version?: string;
}

export function apiRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    ...identityRoutes(deps.db, deps.access),
    ...hookRoutes(deps.db, deps.access, deps.publicUrl ?? 'http://127.0.0.1:8080'),
    ...projectRoutes(deps.db),
    ...suiteRoutes(deps.db),
    ...environmentRoutes(deps.db),
    ...executionRoutes(deps.db, deps.queue),
    ...testCaseRoutes(deps.db),
    ...fleetRoutes(deps.db, deps.queue),
    ...reportRoutes(deps.db, deps.docstore),
    ...notificationRoutes(deps.db),
    ...scheduleRoutes(deps.db),
  ];
}

/** The orchestrator's HTTP API under /api/v1, with its OpenAPI document at /api/v1/openapi.json. */
export function createApi(deps: ApiDeps): express.Express {
  return createApiApp({
    routes: apiRoutes(deps),
    title: 'Verdict',
    version: deps.version,
    log: deps.log,
    resolveContext: deps.access.resolveContext,
    audit: deps.access.audit,
  });
}

/** The API on a platform's database and queue, acting in the seeded default workspace. */
export function createPlatformApi(
  platform: {
    db: SqlDatabase;
    coordination: { queue: JobQueue; cache: Cache };
    docstore: DocumentStore;
    config: { rateLimits: RateLimits; notifications: { publicUrl: string } };
  },
  log: Logger,
  access: AccessControl = accessControlFor(platform, log, DEFAULT_WORKSPACE.slug),
): express.Express {
  return createApi({
    db: platform.db,
    queue: platform.coordination.queue,
    docstore: platform.docstore,
    log,
    access,
    publicUrl: platform.config.notifications.publicUrl,
  });
}
