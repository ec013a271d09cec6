import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { accessControlFor, type AccessControl } from '@verdict/auth';
import type { Logger } from '@verdict/config';
import { startIngestion } from '@verdict/ingestion';
import { startNotifier } from '@verdict/notifier';
import { startMockServer, type MockServer } from '@verdict/mock-server';
import { startReporter } from '@verdict/reporter';
import { startOrchestrator, type Orchestrator } from '@verdict/orchestrator';
import { WorkerAgent } from '@verdict/worker';
import type { Platform } from '@verdict/platform';

export interface Services {
  orchestrator: Orchestrator;
  workers: WorkerAgent[];
  /** The stub manager, and where its admin API (/api/v1) and mocks (/mocks/<name>) are reached. */
  mock: MockServer;
  mockUrl: string;
  /** Shared by the API and the stub manager's admin API. */
  access: AccessControl;
  stop(graceMs: number): Promise<void>;
}

/** Every Verdict service in this process, on the platform's adapters. */
export async function startServices(
  platform: Platform,
  log: Logger,
  childEnv: Record<string, string>,
): Promise<Services> {
  const { db, bus, coordination, docstore, metrics, config } = platform;
  const orchestrator = await startOrchestrator({
    db,
    bus,
    queue: coordination.queue,
    locks: coordination.locks,
    log,
    offlineAfterMs: config.fleet.offlineAfterMs,
    dataDir: config.dataDir,
    metrics: platform.metrics,
  });
  const ingestion = await startIngestion({
    db,
    bus,
    docstore,
    metrics,
    cache: coordination.cache,
    log,
    onOutbox: () => orchestrator.relay.nudge(),
  });
  const reporter = await startReporter({
    db,
    bus,
    docstore,
    log,
    notifications: config.notifications,
    onOutbox: () => orchestrator.relay.nudge(),
  });
  const notifier = await startNotifier(
    { db, bus, log, metrics },
    { smtp: config.notifications.smtp, backoffMs: config.notifications.backoffMs },
  );
  const access = accessControlFor(platform, log);
  const mock = await startMockServer(
    { db, docstore, bus, metrics, log, access },
    {
      host: config.http.host,
      journalFlushMs: config.mockServer.journalFlushMs,
      maxAttempts: config.notifications.maxAttempts,
    },
  );
  const mockHttp = http.createServer(mock.handler);
  mockHttp.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    mockHttp.once('error', reject);
    mockHttp.listen(config.mockServer.port, config.http.host, resolve);
  });
  const mockHost = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  const mockUrl = `http://${mockHost}:${(mockHttp.address() as AddressInfo).port}`;
  mock.setTrafficUrl(mockUrl);
  // Tests under execution reach the mocks here (and send X-Verdict-Execution: $VERDICT_EXECUTION_ID).
  childEnv = { ...childEnv, VERDICT_MOCK_URL: mockUrl };
  const workers: WorkerAgent[] = [];
  for (let i = 0; i < config.workers.count; i++) {
    const name = `${os.hostname()}-${i + 1}`;
    const worker = new WorkerAgent(
      { db, bus, queue: coordination.queue, log: log.child({ service: 'worker', worker: name }) },
      {
        name,
        pool: config.workers.pool,
        // In one process the node's key is derived from where its data lives: stable across restarts.
        apiKey: `embedded:${config.dataDir}:${i}`,
        labels: { mode: 'all-in-one' },
        leaseMs: config.workers.leaseMs,
        heartbeatMs: config.workers.heartbeatMs,
        workDir: path.join(config.dataDir, 'work', String(i + 1)),
        baseEnv: childEnv,
      },
    );
    await worker.start();
    workers.push(worker);
  }
  return {
    orchestrator,
    workers,
    mock,
    mockUrl,
    access,
    stop: async (graceMs) => {
      await Promise.all(workers.map((w) => w.stop(graceMs)));
      mockHttp.close();
      mockHttp.closeAllConnections();
      await mock.stop();
      await ingestion.stop();
      await reporter.stop();
      await notifier.stop();
      await orchestrator.stop();
    },
  };
}
