import type http from 'node:http';
import type { MessageBus } from '@verdict/bus';
import type { Logger } from '@verdict/config';
import type { AccessControl } from '@verdict/auth';
import { ScenarioRepository, type SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import { createApiApp, RUN, type ApiRoute } from '@verdict/http';
import type { MetricsWriter } from '@verdict/metrics';
import type { MockServerContext } from './api/context';
import { journalRoutes } from './api/journal';
import { mockRoutes } from './api/mocks';
import { scenarioRoutes } from './api/scenarios';
import { webhookRoutes } from './api/webhooks';
import { MockCatalog } from './catalog';
import { MockEvents } from './events';
import { MockJournal } from './journal';
import { MockPorts } from './ports';
import { ScenarioRunner } from './scenario-runner';
import { MOCKS_PREFIX, TrafficHandler } from './traffic';

export interface MockServerDeps {
  db: SqlDatabase;
  docstore: DocumentStore;
  bus: MessageBus;
  metrics?: MetricsWriter;
  log: Logger;
  /** Who may use the admin API (the same sessions, keys and roles as the main API). */
  access: AccessControl;
}

export interface MockServerOptions {
  /** Where per-mock ports listen. */
  host: string;
  journalFlushMs: number;
  /** How often another replica's changes are looked for. */
  pollMs?: number;
  /** Attempts of a webhook delivery. */
  maxAttempts: number;
}

export interface MockServer {
  /** Serves mock traffic under /mocks/ and the admin API under /api/v1. */
  handler: http.RequestListener;
  routes: ApiRoute[];
  catalog: MockCatalog;
  journal: MockJournal;
  ports: MockPorts;
  /** Tells scenario runs where this server's traffic is reached (http://host:port). */
  setTrafficUrl(url: string): void;
  stop(): Promise<void>;
}

/** The stub manager: admin API, mock traffic, journal, scenario runner, per-mock ports. */
export async function startMockServer(deps: MockServerDeps, opts: MockServerOptions): Promise<MockServer> {
  const log = deps.log.child({ service: 'mock-server' });
  const catalog = new MockCatalog(deps.db, log);
  const events = new MockEvents({ db: deps.db, bus: deps.bus, log }, { maxAttempts: opts.maxAttempts });
  const journal = new MockJournal(
    {
      docstore: deps.docstore,
      metrics: deps.metrics,
      log,
      onWritten: (entries) => events.requestsJournaled(entries),
    },
    { flushMs: opts.journalFlushMs },
  );
  const traffic = new TrafficHandler(catalog, journal);
  const ports = new MockPorts(traffic, opts.host, log);
  let trafficUrl = 'http://127.0.0.1';
  const runner = new ScenarioRunner({ db: deps.db, catalog, events, log }, () => trafficUrl);
  // A run cut short by a crash leaves its scenario RUNNING: give it back.
  await new ScenarioRepository(deps.db).releaseStale(10 * 60_000);

  const ctx: MockServerContext = {
    db: deps.db,
    docstore: deps.docstore,
    catalog,
    journal,
    events,
    ports,
    runner,
    log,
  };
  // Tests drive the stub manager: any member of a workspace may change its mocks and scenarios.
  const routes = [
    ...mockRoutes(ctx),
    ...journalRoutes(ctx),
    ...webhookRoutes(ctx),
    ...scenarioRoutes(ctx),
  ].map((r): ApiRoute => (r.method === 'get' || r.access ? r : { ...r, access: RUN }));
  const admin = createApiApp({
    routes,
    title: 'Verdict stub manager',
    log,
    bodyLimit: '10mb',
    resolveContext: deps.access.resolveContext,
    audit: deps.access.audit,
  });
  catalog.onReload((mocks) => ports.sync(mocks));
  await catalog.refresh(true);
  catalog.start(opts.pollMs ?? 500);
  journal.start();

  return {
    handler: (req, res) => {
      if (req.url?.startsWith(MOCKS_PREFIX)) traffic.handle(req, res);
      else admin(req, res);
    },
    routes,
    catalog,
    journal,
    ports,
    setTrafficUrl: (url) => {
      trafficUrl = url.replace(/\/+$/, '');
    },
    stop: async () => {
      catalog.stop();
      await ports.close();
      await journal.stop();
    },
  };
}
