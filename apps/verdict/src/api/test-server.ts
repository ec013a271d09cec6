import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childProcessEnv, createLogger, loadConfig } from '@verdict/config';
import { issueApiKey } from '@verdict/auth';
import { Migrator, seed } from '@verdict/db';
import { createPlatformApi } from '@verdict/orchestrator';
import { openPlatform, type Platform } from '@verdict/platform';
import { freshPglite } from '@verdict/testing';
import { SAMPLE_PROJECT } from '../demo/demo-command';
import { startServices, type Services } from '../start/all-in-one';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
export type Json = any;
export type ApiCall = (
  method: string,
  url: string,
  body?: unknown,
) => Promise<{ status: number; body: Json }>;

/** Calls the API under `base` as the bearer of `token` (nobody without): JSON in, JSON (or problem details) out. */
export function apiCaller(base: string, token?: string, headers: Record<string, string> = {}): ApiCall {
  return async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

export const NODE_TEST_COMMAND =
  'node --test --test-reporter={reporter} --test-reporter-destination={report} {files}';

/** A suite registration that runs a local directory's node:test files (the sample project by default). */
export function nodeTestSuite(
  name: string,
  run: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    run: {
      source: { type: 'local', path: SAMPLE_PROJECT },
      command: NODE_TEST_COMMAND,
      reportFormat: 'node-test',
      ...run,
    },
    config: { shards: 2, retries: 1, timeout: 120_000 },
    selectors: { include: ['test/**/*.test.js'] },
    ...extra,
  };
}

export interface TestServer {
  /** http://127.0.0.1:port (the API is under /api/v1). */
  url: string;
  /** The API of this server, as the admin (an API key of the seeded admin user). */
  call: ApiCall;
  /** The seeded admin's API key. */
  adminKey: string;
  /** The stub manager's admin API. */
  mocks: ApiCall;
  /** http://127.0.0.1:port of the stub manager (mocks under /mocks/<name>). */
  mockUrl: string;
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
    MOCK_PORT: '0',
    ...env,
  });
  const log = createLogger('silent');
  const platform = await openPlatform(config, log, await freshPglite());
  await new Migrator(platform.db).migrate();
  await seed(platform.db, config);
  const services = await startServices(platform, log, childProcessEnv());
  const adminKey = await issueApiKey(platform.db, config.admin.username, 'e2e');
  const app = createPlatformApi(platform, log, services.access);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    call: apiCaller(`${url}/api/v1`, adminKey),
    adminKey,
    mocks: apiCaller(`${services.mockUrl}/api/v1`, adminKey),
    mockUrl: services.mockUrl,
    platform,
    services,
    stop: async () => {
      server.close();
      await services.stop(5000);
      await platform.close();
    },
  };
}
