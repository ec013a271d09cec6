import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childProcessEnv, createLogger, loadConfig } from '@verdict/config';
import { Migrator, seed } from '@verdict/db';
import { createPlatformApi } from '@verdict/orchestrator';
import { openPlatform, type Platform } from '@verdict/platform';
import { freshPglite } from '@verdict/testing';
import { startServices, type Services } from '../start/all-in-one';

export interface TestServer {
  /** http://127.0.0.1:port (the API is under /api/v1). */
  url: string;
  platform: Platform;
  services: Services;
  stop(): Promise<void>;
}

/** What `verdict start` runs, in this process on a fresh embedded database, for end-to-end specs. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({
    VERDICT_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-e2e-')),
    VERDICT_WORKERS: '2',
    VERDICT_ADMIN_PASSWORD: 'e2e-admin-password',
    ...env,
  });
  const log = createLogger('silent');
  const platform = await openPlatform(config, log, await freshPglite());
  await new Migrator(platform.db).migrate();
  await seed(platform.db, config);
  const services = await startServices(platform, log, childProcessEnv());
  const app = createPlatformApi(platform, log);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    platform,
    services,
    stop: async () => {
      server.close();
      await services.stop(5000);
      await platform.close();
    },
  };
}
