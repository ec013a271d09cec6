import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessControl, issueApiKey } from '@verdict/auth';
import { InProcessBus } from '@verdict/bus';
import { createLogger, loadConfig } from '@verdict/config';
import { Migrator, seed, type SqlDatabase } from '@verdict/db';
import { SqlDocumentStore } from '@verdict/docstore';
import { InProcessCache } from '@verdict/queue';
import { freshPglite, waitFor } from '@verdict/testing';
import { startMockServer, type MockServer } from './mock-server';

describe('mock-server replicas on one database', () => {
  let db: SqlDatabase;
  let key: string;
  const cache = new InProcessCache();
  const authed = (url: string, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${key}` } });
  const servers: { mock: MockServer; http: http.Server; url: string }[] = [];

  const start = async () => {
    const log = createLogger('silent');
    const mock = await startMockServer(
      {
        db,
        docstore: new SqlDocumentStore(db, { logDays: 1, reportDays: 1, mockRequestDays: 1 }),
        bus: new InProcessBus(),
        log,
        access: new AccessControl(
          { db, cache, log },
          { defaultWorkspace: 'default', limits: { loginPerMinute: 10, hooksPerMinute: 100 } },
        ),
      },
      { host: '127.0.0.1', journalFlushMs: 50, pollMs: 50, maxAttempts: 1 },
    );
    const server = http.createServer(mock.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push({ mock, http: server, url });
    return url;
  };

  beforeAll(async () => {
    db = await freshPglite();
    await new Migrator(db).migrate();
    await seed(db, loadConfig({ VERDICT_ADMIN_PASSWORD: 'replica-admin-password' }));
    key = await issueApiKey(db, 'admin', 'spec');
  });
  afterAll(async () => {
    for (const s of servers) {
      s.http.close();
      await s.mock.stop();
    }
    await db.close();
    await cache.close();
  });

  it("serves another replica's changes within its poll, and journals each replica's requests", async () => {
    const a = await start();
    const b = await start();
    const created = await authed(`${a}/api/v1/mocks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'shared',
        routes: [{ method: 'GET', path: '/v', response: { body: { v: 1 } } }],
      }),
    });
    const mock = (await created.json()) as { id: string };
    // The replica that saved it answers at once; the other within its poll interval.
    expect(await (await fetch(`${a}/mocks/shared/v`)).json()).toEqual({ v: 1 });
    await waitFor(
      async () => (await fetch(`${b}/mocks/shared/v`)).status === 200,
      5000,
      'replica b to load the mock',
    );

    const route = (await (await authed(`${a}/api/v1/mocks/${mock.id}/routes`)).json()) as {
      items: { id: string }[];
    };
    await authed(`${a}/api/v1/mocks/${mock.id}/routes/${route.items[0].id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response: { body: { v: 2 } } }),
    });
    await waitFor(
      async () => ((await (await fetch(`${b}/mocks/shared/v`)).json()) as { v: number }).v === 2,
      5000,
      'replica b to reload',
    );

    const stats = async (url: string) =>
      ((await (await authed(`${url}/api/v1/mocks/${mock.id}/stats`)).json()) as { total: number }).total;
    await waitFor(async () => (await stats(a)) >= 3, 5000, 'both journals to be written');
  });
});
