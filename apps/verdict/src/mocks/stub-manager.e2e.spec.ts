import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@verdict/testing';
import { startTestServer, type ApiCall, type Json, type TestServer } from '../api/test-server';

const SECRET = 'mock-webhook-secret-0123456789';
const MAIN = path.join(__dirname, '..', 'main.ts');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('stub manager: mocks, conditions, templates, faults, response sets, journal, verification, webhooks, scenarios', () => {
  let server: TestServer;
  let mocks: ApiCall;
  const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let receiver: http.Server;
  let receiverUrl: string;

  /** Calls a mock's traffic: method, path under /mocks/<name>, optional JSON body and headers. */
  const hit = async (
    name: string,
    p: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const res = await fetch(`${server.mockUrl}/mocks/${name}${p}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    server = await startTestServer({ NOTIFY_BACKOFF_MS: '100', MOCK_JOURNAL_FLUSH_MS: '50' });
    mocks = server.mocks;
  });
  afterAll(async () => {
    await server?.stop();
    receiver?.close();
  });

  it('refuses definitions that could only fail at request time, naming the field, and stores nothing', async () => {
    const base = { name: 'bad', routes: [{ method: 'GET', path: '/users/:id', conditions: [] as object[] }] };
    const cond = (over: object) => ({
      ...base,
      routes: [
        {
          ...base.routes[0],
          conditions: [
            {
              parameterName: 'q',
              parameterSource: 'QUERY',
              operator: 'EQUALS',
              expectedValue: 'x',
              response: {},
              ...over,
            },
          ],
        },
      ],
    });
    const cases: [object, string, RegExp][] = [
      [
        cond({ operator: 'REGEX', expectedValue: '([a-z' }),
        'routes.0.conditions.0.expectedValue',
        /regular expression/,
      ],
      [
        cond({ parameterSource: 'BODY', parameterName: '$.a..b' }),
        'routes.0.conditions.0.parameterName',
        /JSON path/,
      ],
      [
        cond({ parameterSource: 'PATH', parameterName: 'userId' }),
        'routes.0.conditions.0.parameterName',
        /:id/,
      ],
      [
        cond({ operator: 'GREATER_THAN', expectedValue: 'ten' }),
        'routes.0.conditions.0.expectedValue',
        /numbers/,
      ],
      [
        {
          ...base,
          routes: [{ method: 'GET', path: '/u/:id', response: { body: { id: '{{request.path.userId}}' } } }],
        },
        'routes.0.response',
        /names no parameter/,
      ],
      [
        { ...base, routes: [{ method: 'GET', path: '/u', response: { body: '{{request.cookie}}' } }] },
        'routes.0.response',
        /unknown template/,
      ],
      [{ ...base, protocol: 'GRPC' }, 'protocol', /not supported/],
      [{ ...base, protocol: 'KAFKA' }, 'protocol', /not supported/],
      [{ ...base, routes: [{ method: 'GET', path: 'users' }] }, 'routes.0.path', /starting with "\/"/],
      [{ ...base, name: 'Bad Name' }, 'name', /lowercase/],
    ];
    for (const [body, field, detail] of cases) {
      const r = await mocks('POST', '/mocks', body);
      expect([r.status, r.body.field]).toEqual([400, field]);
      expect(r.body.detail).toMatch(detail);
    }
    expect((await mocks('GET', '/mocks?name=bad')).body.total).toBe(0);
  });

  it('answers by the first condition that holds by priority, else the default, else a 404 naming the closest routes', async () => {
    const c = (
      parameterSource: string,
      parameterName: string,
      operator: string,
      expectedValue: string,
      tag: string,
      priority = 0,
    ) => ({
      parameterSource,
      parameterName,
      operator,
      expectedValue,
      priority,
      response: { status: 200, body: { tag } },
    });
    const created = await mocks('POST', '/mocks', {
      name: 'shop',
      routes: [
        {
          method: 'GET',
          path: '/users/:id',
          response: {
            body: {
              id: '{{request.path.id}}',
              q: '{{request.query.q}}',
              agent: 'x-{{request.headers.x-agent}}',
              at: '{{request.method}} {{request.path}}',
            },
          },
          conditions: [
            c('PATH', 'id', 'EQUALS', '0', 'zero'),
            c('QUERY', 'q', 'CONTAINS', 'vip', 'vip'),
            c('QUERY', 'q', 'REGEX', '^v', 'starts-with-v', 5), // higher priority than "vip"
            c('HEADER', 'x-tier', 'NOT_EQUALS', 'gold', 'not-gold', -10),
          ],
        },
        {
          method: 'POST',
          path: '/orders',
          response: {
            status: 201,
            body: {
              id: '{{request.body.order.id}}',
              items: '{{request.body.order.items}}',
              note: 'n-{{request.body.order.id}}',
            },
          },
          conditions: [
            c('BODY', '$.order.total', 'GREATER_THAN', '1000', 'review'),
            c('BODY', 'order.total', 'LESS_THAN', '1', 'tiny'),
            c('BODY', '$.order.tags', 'CONTAINS', 'rush', 'rush'),
            c('BODY', '$.order.tags', 'NOT_CONTAINS', 'gift', 'no-gift', -1),
          ],
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.basePath).toBe('/mocks/shop');

    expect((await hit('shop', '/users/0', { headers: { 'x-tier': 'gold' } })).json).toEqual({ tag: 'zero' });
    expect((await hit('shop', '/users/7?q=vip', { headers: { 'x-tier': 'gold' } })).json).toEqual({
      tag: 'starts-with-v',
    });
    expect((await hit('shop', '/users/7?q=a-vip', { headers: { 'x-tier': 'gold' } })).json).toEqual({
      tag: 'vip',
    });
    expect((await hit('shop', '/users/7', { headers: { 'x-tier': 'silver' } })).json).toEqual({
      tag: 'not-gold',
    });
    const templated = await hit('shop', '/users/42?q=x', {
      headers: { 'x-tier': 'gold', 'x-agent': 'probe' },
    });
    expect(templated.json).toEqual({ id: '42', q: 'x', agent: 'x-probe', at: 'GET /users/42' });
    expect(templated.headers.get('content-type')).toBe('application/json');

    const order = (o: object) => hit('shop', '/orders', { method: 'POST', body: { order: o } });
    expect((await order({ id: 1, total: 5000, tags: ['gift'] })).json).toEqual({ tag: 'review' });
    expect((await order({ id: 1, total: 0.5, tags: ['gift'] })).json).toEqual({ tag: 'tiny' });
    expect((await order({ id: 1, total: 50, tags: ['rush', 'gift'] })).json).toEqual({ tag: 'rush' });
    expect((await order({ id: 1, total: 50, tags: [] })).json).toEqual({ tag: 'no-gift' });
    const plain = await order({ id: 9, total: 50, tags: ['gift'], items: [1, 2] });
    // A string that is one placeholder keeps the value's type.
    expect([plain.status, plain.json]).toEqual([201, { id: 9, items: [1, 2], note: 'n-9' }]);

    const miss = await hit('shop', '/user/7');
    expect(miss.status).toBe(404);
    expect(miss.json.closestRoutes[0]).toBe('GET /users/:id');
    expect((await hit('nosuch', '/x')).status).toBe(404);
  });

  it('delays, faults, INACTIVE and a port of its own', async () => {
    const port = await freePort();
    const m = (
      await mocks('POST', '/mocks', {
        name: 'flaky',
        responseDelayMs: 150,
        port,
        routes: [
          { method: 'GET', path: '/slow', response: { body: 'ok', delayMs: 100 } },
          { method: 'GET', path: '/reset', response: { fault: 'CONNECTION_RESET' } },
          { method: 'GET', path: '/empty', response: { fault: 'EMPTY_RESPONSE' } },
          {
            method: 'GET',
            path: '/garbled',
            response: { body: { a: [1, 2, 3], b: 'text' }, fault: 'MALFORMED_BODY' },
          },
        ],
      })
    ).body;
    const t0 = Date.now();
    const slow = await hit('flaky', '/slow');
    expect([slow.status, slow.text]).toEqual([200, 'ok']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    await expect(fetch(`${server.mockUrl}/mocks/flaky/reset`)).rejects.toThrow();
    await expect(fetch(`${server.mockUrl}/mocks/flaky/empty`)).rejects.toThrow();
    const garbled = await hit('flaky', '/garbled');
    expect(garbled.status).toBe(200);
    expect(() => JSON.parse(garbled.text)).toThrow();

    // Its own port serves it at "/".
    expect(await (await fetch(`http://127.0.0.1:${port}/slow`)).text()).toBe('ok');
    // A port already taken is refused before anything is saved.
    const taken = await mocks('POST', '/mocks', { name: 'clash', port });
    expect([taken.status, taken.body.field]).toEqual([409, 'port']);

    expect((await mocks('PATCH', `/mocks/${m.id}`, { status: 'INACTIVE', responseDelayMs: 0 })).status).toBe(
      200,
    );
    const off = await hit('flaky', '/slow');
    expect(off.status).toBe(503);
    expect(off.json.detail).toMatch(/INACTIVE/);
    await mocks('PATCH', `/mocks/${m.id}`, { status: 'ACTIVE', port: null });
    expect((await hit('flaky', '/slow')).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toThrow();
  });

  it('switches response sets at once, and refuses answers for routes the mock does not have', async () => {
    const m = (
      await mocks('POST', '/mocks', {
        name: 'pay',
        routes: [{ method: 'POST', path: '/charges', response: { status: 201, body: { ok: true } } }],
      })
    ).body;
    const down = await mocks('POST', `/mocks/${m.id}/response-sets`, {
      name: 'outage',
      responses: [{ method: 'POST', path: '/charges', response: { status: 503, body: { error: 'down' } } }],
    });
    expect(down.status).toBe(201);
    const wrong = await mocks('POST', `/mocks/${m.id}/response-sets`, {
      name: 'wrong',
      responses: [{ method: 'GET', path: '/refunds', response: { status: 200 } }],
    });
    expect([wrong.status, wrong.body.field]).toEqual([400, 'responses.0.path']);

    expect((await hit('pay', '/charges', { method: 'POST', body: {} })).status).toBe(201);
    const on = await mocks('PUT', `/mocks/${m.id}/active-response-set`, { name: 'outage' });
    expect(on.body.activeResponseSet).toBe('outage');
    expect((await hit('pay', '/charges', { method: 'POST', body: {} })).json).toEqual({ error: 'down' });
    expect(
      (await mocks('GET', `/mocks/${m.id}/response-sets`)).body.map((s: Json) => [s.name, s.isActive]),
    ).toEqual([['outage', true]]);
    expect((await mocks('PUT', `/mocks/${m.id}/active-response-set`, { name: 'nope' })).body.field).toBe(
      'name',
    );
    await mocks('PUT', `/mocks/${m.id}/active-response-set`, { name: null });
    expect((await hit('pay', '/charges', { method: 'POST', body: {} })).status).toBe(201);
  });

  it('imports an OpenAPI 3 document in YAML: examples where given, samples of the schema elsewhere', async () => {
    const spec = `
openapi: 3.0.3
info: { title: Pets, version: "1.2" }
paths:
  /pets:
    get:
      summary: List pets
      responses:
        "200":
          description: ok
          content:
            application/json:
              example: [{ id: 1, name: Rex }]
  /pets/{petId}:
    get:
      operationId: getPet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
    delete:
      responses:
        "204": { description: gone }
components:
  schemas:
    Pet:
      type: object
      properties:
        id: { type: integer, minimum: 7 }
        name: { type: string, example: Tom }
        kind: { type: string, enum: [cat, dog] }
        born: { type: string, format: date }
        tags: { type: array, items: { type: string } }
`;
    const r = await mocks('POST', '/mocks/import', { name: 'pets', spec });
    expect(r.status).toBe(201);
    expect(r.body.routes.map((x: Json) => `${x.method} ${x.path}`).sort()).toEqual([
      'DELETE /pets/:petId',
      'GET /pets',
      'GET /pets/:petId',
    ]);
    expect((await hit('pets', '/pets')).json).toEqual([{ id: 1, name: 'Rex' }]);
    expect((await hit('pets', '/pets/3')).json).toEqual({
      id: 7,
      name: 'Tom',
      kind: 'cat',
      born: '2026-01-01',
      tags: ['string'],
    });
    expect((await hit('pets', '/pets/3', { method: 'DELETE' })).status).toBe(204);
    const swagger = await mocks('POST', '/mocks/import', {
      name: 'old',
      spec: { swagger: '2.0', paths: {} },
    });
    expect([swagger.status, swagger.body.field]).toEqual([400, 'spec.openapi']);
    expect((await mocks('POST', '/mocks/import', { name: 'junk', spec: 'a: [' })).body.field).toBe('spec');
  });

  it('journals every request and verifies calls per execution, by body and count', async () => {
    const m = (
      await mocks('POST', '/mocks', {
        name: 'orders',
        routes: [{ method: 'POST', path: '/orders', response: { status: 201, body: { ok: true } } }],
      })
    ).body;
    const since = new Date().toISOString();
    const post = (exec: string | null, body: object) =>
      hit('orders', '/orders?src=test', {
        method: 'POST',
        body,
        headers: exec ? { 'x-verdict-execution': exec } : {},
      });
    await post('exec-a', { sku: 'A1', qty: 2, meta: { channel: 'web' } });
    await post('exec-a', { sku: 'A1', qty: 3 });
    await post('exec-b', { sku: 'A1', qty: 2 });
    await post(null, { sku: 'Z9', qty: 1 });
    await hit('orders', '/nothing');

    const verify = (body: object) => mocks('POST', `/mocks/${m.id}/verify`, body);
    const a = await verify({
      method: 'POST',
      path: '/orders',
      executionId: 'exec-a',
      body: { sku: 'A1' },
      since,
      count: { exactly: 2 },
    });
    expect([a.status, a.body.ok, a.body.count]).toEqual([200, true, 2]);
    const nested = await verify({
      path: '/orders',
      executionId: 'exec-a',
      body: { meta: { channel: 'web' } },
      count: { exactly: 1 },
    });
    expect(nested.body.ok).toBe(true);
    const b = await verify({ method: 'POST', path: '/orders', executionId: 'exec-b', count: { exactly: 2 } });
    expect([b.body.ok, b.body.count]).toEqual([false, 1]);
    expect(b.body.message).toMatch(/called 1 time, expected exactly 2/);
    expect((await verify({ executionId: null, body: { sku: 'Z9' } })).body.count).toBe(1);
    expect((await verify({ since: new Date(Date.now() + 60_000).toISOString() })).body.count).toBe(0);

    const list = await mocks('GET', `/mocks/${m.id}/requests?executionId=exec-a`);
    expect(list.body.total).toBe(2);
    const entry = list.body.items[0];
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/orders',
      query: { src: 'test' },
      responseStatus: 201,
      matched: 'default',
      route: 'POST /orders',
    });
    expect(JSON.parse(entry.requestBody)).toEqual({ sku: 'A1', qty: 3 });
    expect(entry.headers['x-verdict-execution']).toBe('exec-a');
    const stats = (await mocks('GET', `/mocks/${m.id}/stats`)).body;
    expect([stats.total, stats.unmatched, stats.errors]).toEqual([5, 1, 1]);
    const summary = (await mocks('GET', `/mocks/${m.id}/requests/summary`)).body;
    expect(summary.map((s: Json) => [s.method, s.requestCount, s.errorCount])).toEqual([
      ['GET', 1, 1],
      ['POST', 4, 0],
    ]);
    expect((await mocks('DELETE', `/mocks/${m.id}/requests?executionId=exec-b`)).body.deleted).toBe(1);
    expect((await mocks('POST', `/mocks/${m.id}/verify`, { count: {} })).body.field).toBe('count');
  });

  it('sends signed webhooks on mock events through the notifier, with a delivery log', async () => {
    const m = (
      await mocks('POST', '/mocks', {
        name: 'hooked',
        routes: [{ method: 'GET', path: '/ping', response: { body: { pong: true } } }],
      })
    ).body;
    await mocks('POST', `/mocks/${m.id}/response-sets`, { name: 'quiet', responses: [] });
    const hook = await mocks('POST', `/mocks/${m.id}/webhooks`, {
      name: 'ci',
      url: `${receiverUrl}/hook`,
      secret: SECRET,
    });
    expect(hook.status).toBe(201);
    expect(JSON.stringify(hook.body)).not.toContain(SECRET);
    await hit('hooked', '/ping');
    await hit('hooked', '/ping');
    await mocks('PUT', `/mocks/${m.id}/active-response-set`, { name: 'quiet' });
    await waitFor(() => hooks.filter((h) => h.body.includes(m.id)).length >= 2, 15_000);
    const mine = hooks.filter((h) => h.body.includes(m.id));
    for (const h of mine) {
      const expected = createHmac('sha256', SECRET)
        .update(`${h.headers['x-verdict-timestamp']}.${h.body}`)
        .digest('hex');
      expect(h.headers['x-verdict-signature']).toBe(`sha256=${expected}`);
    }
    const events = mine.map((h) => JSON.parse(h.body));
    const matched = events.find((e) => e.event === 'mock.request.matched');
    expect(matched.data.requests.map((r: Json) => r.path)).toContain('/ping');
    expect(events.find((e) => e.event === 'mock.scenario.switched').data).toEqual({
      from: null,
      to: 'quiet',
    });
    const log = await mocks('GET', `/mocks/${m.id}/webhooks/${hook.body.id}/deliveries`);
    expect(log.body.items.length).toBeGreaterThanOrEqual(2);
    expect(log.body.items.every((d: Json) => d.status === 'delivered')).toBe(true);
    const one = await mocks(
      'GET',
      `/mocks/${m.id}/webhooks/${hook.body.id}/deliveries/${log.body.items[0].id}`,
    );
    expect(one.body.history).toEqual([
      expect.objectContaining({ attempt: 1, success: true, responseStatus: 200 }),
    ]);
  });

  it('runs ordered action scenarios to SUCCESS, PARTIAL or FAILED with every outcome recorded', async () => {
    await mocks('POST', '/mocks', {
      name: 'inventory',
      routes: [
        { method: 'GET', path: '/stock/:sku', response: { body: { sku: '{{request.path.sku}}', level: 3 } } },
      ],
    });
    const actions = [
      { type: 'STOP_MOCK', mock: 'inventory' },
      {
        type: 'HTTP_REQUEST',
        name: 'stopped mock answers 503',
        mock: 'inventory',
        path: '/stock/a',
        expect: { status: 503 },
      },
      { type: 'START_MOCK', mock: 'inventory' },
      { type: 'SET_DELAY', mock: 'inventory', delayMs: 50 },
      { type: 'WAIT', ms: 20 },
      {
        type: 'HTTP_REQUEST',
        mock: 'inventory',
        path: '/stock/a1',
        expect: { status: 200, body: { sku: 'a1' }, headers: { 'content-type': 'application/json' } },
      },
      { type: 'SET_DELAY', mock: 'inventory', delayMs: 0 },
    ];
    const ok = (await mocks('POST', '/scenarios', { name: 'stock', actions })).body;
    expect(ok.status).toBe('READY');
    const run = await mocks('POST', `/scenarios/${ok.id}/runs`, { executionId: 'exec-s' });
    expect(run.status).toBe(201);
    expect([run.body.status, run.body.results.map((r: Json) => r.status)]).toEqual([
      'SUCCESS',
      Array(7).fill('passed'),
    ]);
    expect(run.body.results[5].durationMs).toBeGreaterThanOrEqual(50);

    const partial = (
      await mocks('POST', '/scenarios', {
        name: 'stock-wrong',
        actions: [actions[5], { ...actions[5], expect: { body: { level: 99 } } }],
      })
    ).body;
    const p = (await mocks('POST', `/scenarios/${partial.id}/runs`, {})).body;
    expect(p.status).toBe('PARTIAL');
    expect(p.results[1].error).toMatch(/does not match/);

    const broken = (
      await mocks('POST', '/scenarios', {
        name: 'ghost',
        actions: [
          { type: 'START_MOCK', mock: 'ghost' },
          { type: 'WAIT', ms: 1 },
        ],
      })
    ).body;
    const f = (await mocks('POST', `/scenarios/${broken.id}/runs`, {})).body;
    expect([f.status, f.results.map((r: Json) => r.status)]).toEqual(['FAILED', ['failed', 'skipped']]);
    expect(f.errorMessage).toMatch(/no mock named "ghost"/);
    expect((await mocks('GET', `/scenarios/${broken.id}`)).body.status).toBe('FAILED');
    expect((await mocks('GET', `/scenarios/${ok.id}/runs`)).body.items[0]).toMatchObject({
      status: 'SUCCESS',
      executionId: 'exec-s',
    });
    const bad = await mocks('POST', '/scenarios', {
      name: 'x',
      actions: [{ type: 'HTTP_REQUEST', path: '/a' }],
    });
    expect([bad.status, bad.body.field]).toEqual([400, 'actions.0.url']);
  });

  it("runs scenario files as a Verdict suite: their actions become the execution's results", async () => {
    await mocks('POST', '/mocks', {
      name: 'warehouse',
      routes: [{ method: 'GET', path: '/stock/:sku', response: { body: { sku: '{{request.path.sku}}' } } }],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-scenarios-'));
    fs.mkdirSync(path.join(dir, 'scenarios'));
    fs.writeFileSync(
      path.join(dir, 'scenarios', 'checkout.json'),
      JSON.stringify({
        name: 'checkout',
        actions: [
          {
            type: 'HTTP_REQUEST',
            name: 'stock is there',
            mock: 'warehouse',
            path: '/stock/z',
            expect: { status: 200 },
          },
          {
            type: 'HTTP_REQUEST',
            name: 'wrong expectation',
            mock: 'warehouse',
            path: '/stock/z',
            expect: { status: 418 },
          },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'scenarios', 'health.yaml'),
      'name: health\nactions:\n  - type: HTTP_REQUEST\n    mock: warehouse\n    path: /stock/h\n    expect: { body: { sku: h } }\n',
    );
    const call = server.call;
    const project = (await call('POST', '/projects', { name: 'Scenarios', slug: 'scenarios' })).body;
    // A key bound to the workspace that may only run: what a suite's command is given.
    const key = (
      await call('POST', '/api-keys', { name: 'scenario suite', workspace: 'default', scopes: ['run'] })
    ).body;
    expect(key.key).toMatch(/^vk_/);
    const suite = await call('POST', `/projects/${project.id}/suites`, {
      name: 'mock-scenarios',
      run: {
        source: { type: 'local', path: dir },
        env: { VERDICT_API_KEY: key.key },
        command: `"${process.execPath}" --require "${require.resolve('tsx/cjs')}" "${MAIN}" scenario run {files} --report {report}`,
        reportFormat: 'scenario',
      },
      config: { shards: 1, retries: 0, timeout: 120_000 },
      selectors: { include: ['scenarios/*.{json,yaml}'] },
    });
    expect(suite.status).toBe(201);
    const started = (await call('POST', `/suites/${suite.body.id}/executions`, {})).body;
    let done: Json;
    await waitFor(
      async () => {
        done = (await call('GET', `/executions/${started.id}`)).body;
        return ['completed', 'failed', 'cancelled', 'timeout'].includes(done.status);
      },
      90_000,
      'the scenario suite to end',
    );
    const results = (await call('GET', `/executions/${started.id}/results?limit=100`)).body.items;
    if (results[0]?.status === 'broken') throw new Error(JSON.stringify(results[0].error));
    expect(done.status).toBe('failed');
    expect(results.map((r: Json) => [r.test.filePath, r.test.name, r.status]).sort()).toEqual([
      ['scenarios/checkout.json', '1. stock is there', 'passed'],
      ['scenarios/checkout.json', '2. wrong expectation', 'failed'],
      ['scenarios/health.yaml', '1. GET warehouse/stock/h', 'passed'],
    ]);
    // The runs carried the execution's id: their requests are journaled apart.
    const inv = (await mocks('GET', '/mocks?name=warehouse')).body.items[0];
    const v = await mocks('POST', `/mocks/${inv.id}/verify`, {
      executionId: started.id,
      count: { exactly: 3 },
    });
    expect(v.body.ok).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
