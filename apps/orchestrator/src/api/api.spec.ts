import type { AddressInfo } from 'node:net';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createLogger } from '@verdict/config';
import {
  DEFAULT_WORKSPACE,
  Migrator,
  NodeRepository,
  PostgresDatabase,
  ResultRepository,
  seed,
  TestCaseRepository,
  WorkspaceRepository,
  type SqlDatabase,
} from '@verdict/db';
import { SqlDocumentStore } from '@verdict/docstore';
import { AccessControl, issueApiKey } from '@verdict/auth';
import { InProcessCache, InProcessJobQueue, type JobQueue } from '@verdict/queue';
import { createTestDatabase, freshPglite, serverUrl } from '@verdict/testing';
import { createApi, WORKSPACE_HEADER } from './api';

/** Real PostgreSQL when the machine has it, else the embedded one. */
async function openDatabase(): Promise<{ db: SqlDatabase; drop: () => Promise<void> }> {
  const server = serverUrl('postgres');
  if (!server) return { db: await freshPglite(), drop: async () => undefined };
  const t = await createTestDatabase(server);
  const db = await PostgresDatabase.connect({ url: t.url });
  return { db, drop: t.drop };
}

describe('the orchestrator HTTP API', () => {
  let db: SqlDatabase;
  let drop: () => Promise<void>;
  let queue: JobQueue;
  let server: http.Server;
  let base: string;
  let adminKey: string;
  const sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-api-'));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
  type Answer = { status: number; body: any; headers: Headers };
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers } as Answer;
  };
  const suiteBody = (over: Record<string, unknown> = {}) => ({
    name: 'unit',
    run: {
      source: { type: 'local', path: sourceDir },
      command: 'node --test --test-reporter={reporter} --test-reporter-destination={report} {files}',
      reportFormat: 'node-test',
    },
    config: { shards: 2, retries: 1, pool: 'default' },
    selectors: { include: ['test/**/*.test.js'] },
    ...over,
  });

  beforeAll(async () => {
    ({ db, drop } = await openDatabase());
    await new Migrator(db).migrate();
    await seed(db, { admin: { username: 'admin', email: 'admin@example.com', password: 'pw-for-tests' } });
    queue = new InProcessJobQueue();
    adminKey = await issueApiKey(db, 'admin', 'api spec');
    const log = createLogger('silent');
    const app = createApi({
      db,
      queue,
      docstore: new SqlDocumentStore(db, { logDays: 30, reportDays: 90, mockRequestDays: 7 }),
      log,
      access: new AccessControl(
        { db, cache: new InProcessCache(), log },
        { defaultWorkspace: DEFAULT_WORKSPACE.slug, limits: { loginPerMinute: 10, hooksPerMinute: 100 } },
      ),
    });
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    server?.close();
    await queue?.close();
    await db?.close();
    await drop?.();
  });

  it('publishes a valid OpenAPI 3.1 document naming every operation, generated from the schemas', async () => {
    const { status, body } = await call('GET', '/openapi.json');
    expect(status).toBe(200);
    // swagger-parser is ESM-only, which Jest's module runtime cannot load: validate in a node process.
    const validated = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import P from '@apidevtools/swagger-parser'; let s = ''; for await (const c of process.stdin) s += c; const api = await P.validate(JSON.parse(s)); console.log(Object.keys(api.paths).length);",
      ],
      { input: JSON.stringify(body), encoding: 'utf8' },
    );
    expect(Number(validated)).toBe(Object.keys(body.paths).length);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/projects',
        '/projects/{projectId}',
        '/projects/{projectId}/suites',
        '/suites/{suiteId}',
        '/environments/{environmentId}',
        '/executions',
        '/executions/{executionId}/cancel',
        '/suites/{suiteId}/test-cases',
        '/test-cases/{testCaseId}/runs',
        '/nodes/{nodeId}/heartbeats',
        '/nodes/{nodeId}/lifecycle',
        '/pools',
      ]),
    );
    const createSuite = body.paths['/projects/{projectId}/suites'].post;
    const schema = createSuite.requestBody.content['application/json'].schema;
    expect(schema.properties.run.properties.reportFormat.enum).toEqual([
      'junit',
      'jest-json',
      'node-test',
      'scenario',
    ]);
    expect(body.paths['/executions'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['suiteId', 'status', 'branch', 'triggerType', 'from', 'to', 'limit', 'offset']),
    );
  });

  it('creates, lists with pagination, changes and deletes projects; bad input names its field', async () => {
    const created = await call('POST', '/projects', {
      name: 'Web',
      slug: 'web',
      repositoryUrl: 'https://x/y.git',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/projects/${created.body.id}`);
    for (const slug of ['api', 'mobile'])
      expect((await call('POST', '/projects', { name: slug, slug })).status).toBe(201);

    const dup = await call('POST', '/projects', { name: 'Web again', slug: 'web' });
    expect(dup.status).toBe(409);
    expect(dup.headers.get('content-type')).toContain('application/problem+json');
    expect(dup.body).toMatchObject({ status: 409, field: 'slug', instance: '/api/v1/projects' });

    const bad = await call('POST', '/projects', { name: 'X', slug: 'Not A Slug', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body', 'slug']);
    expect(bad.body.errors.find((e: { field: string }) => e.field === 'body').message).toMatch(/colour/);

    const page = await call('GET', '/projects?limit=2&offset=1');
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.body.items.map((p: { slug: string }) => p.slug)).toEqual(['mobile', 'Web'.toLowerCase()]);
    expect((await call('GET', '/projects?limit=5000')).body.field).toBe('limit');

    const patched = await call('PATCH', `/projects/${created.body.id}`, { description: 'the shop' });
    expect(patched.body).toMatchObject({
      name: 'Web',
      description: 'the shop',
      repositoryUrl: 'https://x/y.git',
    });
    expect((await call('PATCH', `/projects/${created.body.id}`, {})).body.detail).toMatch(
      /at least one field/,
    );

    const gone = (await call('GET', '/projects?limit=100')).body.items.find(
      (p: { slug: string }) => p.slug === 'api',
    );
    expect((await call('DELETE', `/projects/${gone.id}`)).status).toBe(204);
    expect((await call('GET', `/projects/${gone.id}`)).status).toBe(404);
    expect((await call('DELETE', `/projects/${gone.id}`)).status).toBe(404);
    expect((await call('GET', '/projects/not-a-uuid')).body).toMatchObject({
      status: 400,
      field: 'projectId',
    });
  });

  it('answers malformed JSON, a non-JSON body, an unknown route and a wrong method with problem details', async () => {
    const broken = await call('POST', '/projects', '{"name": "x",');
    expect(broken.body).toMatchObject({ status: 400, field: 'body' });
    expect(broken.body.detail).toMatch(/not valid JSON/);
    const form = await call('POST', '/projects', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect((await call('GET', '/nothing-here')).status).toBe(404);
    const wrong = await call('PUT', '/projects');
    expect(wrong.status).toBe(405);
    expect(wrong.body.detail).toMatch(/GET, POST|POST, GET/);
  });

  it('registers suites, refusing malformed globs, unknown report formats, bad commands and sources by field', async () => {
    const project = (await call('POST', '/projects', { name: 'Suites', slug: 'suites' })).body;
    const url = `/projects/${project.id}/suites`;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ selectors: { include: ['test/[a-z.js'] } }, 'selectors.include', /malformed glob/],
      [{ selectors: { exclude: ['../outside/**'] } }, 'selectors.exclude', /inside the source/],
      [{ run: { ...suiteBody().run, reportFormat: 'tap' } }, 'run.reportFormat', /junit/],
      [{ run: { ...suiteBody().run, command: 'npx jest' } }, 'run.command', /\{files\}/],
      [
        { run: { ...suiteBody().run, command: 'npx jest {file} {report}' } },
        'run.command',
        /unknown placeholder/,
      ],
      [
        { run: { ...suiteBody().run, source: { type: 'local', path: 'relative/dir' } } },
        'run.source.path',
        /absolute/,
      ],
      [
        { run: { ...suiteBody().run, source: { type: 'local', path: '/no/such/dir' } } },
        'run.source.path',
        /no directory/,
      ],
      [
        { run: { ...suiteBody().run, source: { type: 'git', url: 'not a url', ref: 'main' } } },
        'run.source.url',
        /git URL/,
      ],
      [
        {
          run: {
            ...suiteBody().run,
            source: { type: 'git', url: 'https://h/r.git', ref: '--upload-pack=x' },
          },
        },
        'run.source.ref',
        /branch/,
      ],
      [{ config: { shards: 0 } }, 'config.shards', /./],
    ];
    for (const [over, field, detail] of cases) {
      const r = await call('POST', url, suiteBody(over));
      expect({ over, status: r.status, field: r.body.field }).toEqual({ over, status: 400, field });
      expect(r.body.detail).toMatch(detail);
    }
    expect((await call('GET', `/suites?projectId=${project.id}`)).body.total).toBe(0);

    const suite = await call('POST', url, suiteBody());
    expect(suite.status).toBe(201);
    expect(suite.body.config).toMatchObject({ shards: 2, retries: 1, timeout: 600000, priority: 5 });
    expect((await call('POST', url, suiteBody())).body).toMatchObject({ status: 409, field: 'name' });

    // A change names only what changes: the rest of config is kept, not reset to defaults.
    const patched = await call('PATCH', `/suites/${suite.body.id}`, { config: { retries: 3 } });
    expect(patched.body.config).toMatchObject({ shards: 2, retries: 3, pool: 'default' });
    const badPatch = await call('PATCH', `/suites/${suite.body.id}`, { selectors: { include: ['{a,b'] } });
    expect(badPatch.body).toMatchObject({ status: 400, field: 'selectors.include' });
    expect((await call('GET', `/suites/${suite.body.id}`)).body.selectors.include).toEqual([
      'test/**/*.test.js',
    ]);
    expect(
      (await call('POST', '/projects/00000000-0000-4000-8000-000000000000/suites', suiteBody())).status,
    ).toBe(404);
  });

  it('keeps environment secrets as references and never answers them in clear', async () => {
    const env = await call('POST', '/environments', {
      name: 'staging',
      type: 'staging',
      variables: { API_URL: 'https://staging.example.com' },
      secrets: { DB_PASSWORD: 'vault:secret/db#password', TOKEN: 'env:STAGING_TOKEN' },
    });
    expect(env.status).toBe(201);
    expect(env.body.secrets).toEqual({ DB_PASSWORD: '********', TOKEN: '********' });
    expect(JSON.stringify((await call('GET', '/environments')).body)).not.toContain('vault:');
    const patched = await call('PATCH', `/environments/${env.body.id}`, { secrets: { TOKEN: null } });
    expect(patched.body.secrets).toEqual({ DB_PASSWORD: '********' });
    expect(patched.body.variables).toEqual({ API_URL: 'https://staging.example.com' });
    const { rows } = await db.query<{ secrets: Record<string, string> }>(
      'SELECT secrets FROM test_environments WHERE id = $1',
      [env.body.id],
    );
    expect(rows[0].secrets).toEqual({ DB_PASSWORD: 'vault:secret/db#password' });
    expect((await call('POST', '/environments', { name: 'x', type: 'moon' })).body.field).toBe('type');
  });

  it('triggers, lists with filters, reads and cancels executions', async () => {
    const project = (await call('POST', '/projects', { name: 'Runs', slug: 'runs' })).body;
    const suite = (await call('POST', `/projects/${project.id}/suites`, suiteBody())).body;
    const first = await call('POST', `/suites/${suite.id}/executions`, { branch: 'main', commit: 'abc1234' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'queued',
      trigger: { type: 'manual', source: 'api', branch: 'main' },
    });
    const { rows } = await db.query<{ type: string }>(
      "SELECT type FROM outbox WHERE envelope->>'correlationId' = $1",
      [first.body.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['request.new']);
    const second = await call('POST', '/executions', {
      suiteId: suite.id,
      type: 'ci',
      branch: 'feature/x',
      priority: 9,
    });
    expect(second.status).toBe(201);
    expect((await call('POST', '/executions', { suiteId: suite.id, priority: 12 })).body.field).toBe(
      'priority',
    );
    expect(
      (await call('POST', '/executions', { suiteId: '00000000-0000-4000-8000-000000000000' })).status,
    ).toBe(404);

    const byBranch = await call('GET', `/executions?suiteId=${suite.id}&branch=feature/x`);
    expect(byBranch.body.items.map((e: { id: string }) => e.id)).toEqual([second.body.id]);
    expect((await call('GET', `/executions?triggerType=ci&suiteId=${suite.id}`)).body.total).toBe(1);
    expect((await call('GET', `/executions?status=queued,running&suiteId=${suite.id}`)).body.total).toBe(2);
    expect((await call('GET', '/executions?status=sleeping')).body.field).toBe('status.0');
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await call('GET', `/executions?from=${encodeURIComponent(future)}`)).body.total).toBe(0);
    expect((await call('GET', `/executions?suiteId=${suite.id}&limit=1`)).body.items[0].id).toBe(
      second.body.id,
    );

    // A job of the execution waits in the queue; cancelling removes it and ends the run.
    await queue.enqueue({ pool: 'default', priority: 5, executionId: first.body.id, payload: {} });
    const cancelled = await call('POST', `/executions/${first.body.id}/cancel`, { reason: 'wrong branch' });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      removedJobs: 1,
      error: 'cancelled: wrong branch',
    });
    expect(await queue.depth('default')).toEqual([]);
    const again = await call('POST', `/executions/${first.body.id}/cancel`);
    expect(again.body).toMatchObject({ status: 409, field: 'status' });
    expect(again.body.detail).toMatch(/already cancelled/);
    const detail = await call('GET', `/executions/${first.body.id}`);
    expect(detail.body).toMatchObject({ status: 'cancelled', shards: [], progress: { total: 0 } });
    expect(detail.body.timing.completedAt).not.toBeNull();
  });

  it("serves a suite's test cases with their history and runs", async () => {
    const project = (await call('POST', '/projects', { name: 'History', slug: 'history' })).body;
    const suite = (await call('POST', `/projects/${project.id}/suites`, suiteBody())).body;
    const execution = (await call('POST', `/suites/${suite.id}/executions`, {})).body;
    const cases = new TestCaseRepository(db);
    const ids = await cases.upsertMany(suite.id, [
      { testKey: 'a.test.js::adds', name: 'adds', filePath: 'a.test.js' },
      { testKey: 'b.test.js::divides', name: 'divides', filePath: 'b.test.js' },
    ]);
    await cases.recordRuns('passed', [{ testCaseId: ids.get('a.test.js::adds')!, durationMs: 10 }]);
    await cases.recordRuns('failed', [{ testCaseId: ids.get('b.test.js::divides')!, durationMs: 30 }]);
    await cases.recordRuns('passed', [{ testCaseId: ids.get('b.test.js::divides')!, durationMs: 10 }]);
    await new ResultRepository(db).insertBatch([
      {
        executionId: execution.id,
        testCaseId: ids.get('b.test.js::divides')!,
        shardIndex: 0,
        status: 'failed',
        duration: { setup: 0, execution: 30, teardown: 0, total: 30 },
        error: { name: 'AssertionError', message: 'expected 2', stack: '' },
        attempts: [],
        flaky: false,
      },
    ]);
    const list = await call('GET', `/suites/${suite.id}/test-cases?search=DIV`);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      name: 'divides',
      lastStatus: 'passed',
      history: { runs: 2, passes: 1, failures: 1, avgDuration: 20 },
    });
    expect(list.body.items[0].history.lastFailure).not.toBeNull();
    const runs = await call('GET', `/test-cases/${list.body.items[0].id}/runs`);
    expect(runs.body.items).toEqual([
      expect.objectContaining({
        executionId: execution.id,
        status: 'failed',
        test: { name: 'divides', filePath: 'b.test.js' },
      }),
    ]);
    const results = await call('GET', `/executions/${execution.id}/results?status=failed`);
    expect(results.body.total).toBe(1);
  });

  it('lists nodes, heartbeats, lifecycle logs and pools; pools keep min <= max', async () => {
    const nodes = new NodeRepository(db);
    const a = await nodes.register({
      apiKey: 'key-a',
      name: 'worker-a',
      pool: 'linux',
      labels: { os: 'linux' },
    });
    await nodes.register({ apiKey: 'key-b', name: 'worker-b', pool: 'linux', labels: {} });
    await nodes.heartbeat(a.id, { currentJob: 'job-1', metrics: { cpuPercent: 12, memoryBytes: 1e8 } });
    await nodes.transition(a.id, 'OFFLINE', 'no heartbeat for 30 s', 'system');

    expect(
      (await call('GET', '/nodes?pool=linux&status=OFFLINE')).body.items.map((n: { name: string }) => n.name),
    ).toEqual(['worker-a']);
    const beats = await call('GET', `/nodes/${a.id}/heartbeats`);
    expect(beats.body.items[0]).toMatchObject({ currentJob: 'job-1', metrics: { cpuPercent: 12 } });
    const life = await call('GET', `/nodes/${a.id}/lifecycle`);
    expect(life.body.items.map((l: { eventType: string }) => l.eventType)).toEqual([
      'REGISTERED',
      'CAME_ONLINE',
      'WENT_OFFLINE',
    ]);
    expect((await call('GET', '/lifecycle-logs?eventType=WENT_OFFLINE')).body.total).toBe(1);
    expect((await call('GET', '/nodes/00000000-0000-4000-8000-000000000000/heartbeats')).status).toBe(404);

    const pools = await call('GET', '/pools');
    expect(pools.body.items.find((p: { name: string }) => p.name === 'linux')).toMatchObject({
      currentWorkers: 1,
      nodes: { ACTIVE: 1, OFFLINE: 1, INACTIVE: 0, ERROR: 0 },
    });
    const gpu = await call('POST', '/pools', { name: 'gpu', minWorkers: 1, maxWorkers: 4, region: 'eu' });
    expect(gpu.status).toBe(201);
    expect((await call('POST', '/pools', { name: 'big', minWorkers: 5, maxWorkers: 2 })).body.field).toBe(
      'minWorkers',
    );
    expect((await call('POST', '/pools', { name: 'gpu' })).body).toMatchObject({
      status: 409,
      field: 'name',
    });
    const tooMany = await call('PATCH', `/pools/${gpu.body.id}`, { minWorkers: 9 });
    expect(tooMany.body).toMatchObject({ status: 400, field: 'minWorkers' });
    expect((await call('PATCH', `/pools/${gpu.body.id}`, { maxWorkers: 8 })).body).toMatchObject({
      minWorkers: 1,
      maxWorkers: 8,
    });

    // An autoscaler's view: queued shard jobs plus busy workers, within the pool's bounds.
    for (let i = 0; i < 3; i++)
      await queue.enqueue({
        pool: 'gpu',
        priority: 5,
        executionId: '00000000-0000-4000-8000-000000000001',
        payload: {},
      });
    expect((await call('GET', '/pools/gpu/scaling')).body).toEqual({
      pool: 'gpu',
      queuedJobs: 3,
      busyWorkers: 0,
      onlineWorkers: 0,
      minWorkers: 1,
      maxWorkers: 8,
      scheduledWorkers: 0,
      desiredWorkers: 3,
    });
    await call('PATCH', `/pools/${gpu.body.id}`, { maxWorkers: 2 });
    expect((await call('GET', '/pools/gpu/scaling')).body.desiredWorkers).toBe(2);
    expect((await call('GET', '/pools/nope/scaling')).status).toBe(404);
  });

  it('isolates workspaces: another workspace sees none of this one and an unknown one is 404', async () => {
    const other = await new WorkspaceRepository(db).create('Other', 'other');
    const mine = (await call('GET', '/projects?limit=100')).body.items[0];
    const headers = { [WORKSPACE_HEADER]: other.slug };
    expect((await call('GET', '/projects', undefined, headers)).body.total).toBe(0);
    expect((await call('GET', `/projects/${mine.id}`, undefined, headers)).status).toBe(404);
    expect((await call('PATCH', `/projects/${mine.id}`, { name: 'mine now' }, headers)).status).toBe(404);
    expect((await call('GET', '/executions', undefined, headers)).body.total).toBe(0);
    const unknown = await call('GET', '/projects', undefined, { [WORKSPACE_HEADER]: 'nope' });
    expect(unknown.body).toMatchObject({ status: 404, detail: 'workspace nope not found' });
  });

  it("schedules suites by cron in a time zone, answers their next runs, and counts pools' capacity windows", async () => {
    const project = (await call('POST', '/projects', { name: 'Cron', slug: 'cron' })).body;
    const suite = (await call('POST', `/projects/${project.id}/suites`, suiteBody({ name: 'nightly' }))).body;
    const created = await call('POST', `/suites/${suite.id}/schedules`, {
      name: 'weekday mornings',
      cron: '0 9 * * MON-FRI',
      timezone: 'Europe/Paris',
      branch: 'main',
    });
    expect(created.status).toBe(201);
    expect(new Date(created.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    const next = await call('GET', `/schedules/${created.body.id}/next-runs?count=3`);
    expect(next.body.runs).toHaveLength(3);
    for (const r of next.body.runs) {
      expect(r.local).toMatch(/ 09:00:00$/);
      expect([1, 2, 3, 4, 5]).toContain(new Date(r.at).getUTCDay());
    }
    for (const [body, field] of [
      [{ name: 'x', cron: '61 * * * *' }, 'cron'],
      [{ name: 'x', cron: '* * *' }, 'cron'],
      [{ name: 'x', cron: '* * * * *', timezone: 'Mars/Olympus' }, 'timezone'],
    ] as const) {
      const bad = await call('POST', `/suites/${suite.id}/schedules`, body);
      expect([bad.status, bad.body.field]).toEqual([400, field]);
    }
    const paused = await call('PATCH', `/schedules/${created.body.id}`, { isActive: false });
    expect([paused.body.isActive, paused.body.nextRunAt]).toEqual([false, null]);
    const resumed = await call('PATCH', `/schedules/${created.body.id}`, {
      isActive: true,
      cron: '30 6 * * *',
    });
    expect(resumed.body.nextRunAt).not.toBeNull();
    expect((await call('GET', `/schedules?suiteId=${suite.id}`)).body.total).toBe(1);

    const pool = (await call('POST', '/pools', { name: 'nightly-pool', minWorkers: 0, maxWorkers: 8 })).body;
    const scaling = async () => (await call('GET', '/pools/nightly-pool/scaling')).body;
    expect((await scaling()).desiredWorkers).toBe(0);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const now = new Date();
    const open = await call('POST', `/pools/${pool.id}/schedules`, {
      name: 'now',
      startTime: hhmm(new Date(now.getTime() - 3600_000)),
      endTime: hhmm(new Date(now.getTime() + 3600_000)),
      targetWorkers: 5,
    });
    expect(open.status).toBe(201);
    expect(await scaling()).toMatchObject({ scheduledWorkers: 5, desiredWorkers: 5 });
    await call('PUT', `/pools/${pool.id}/schedules/${open.body.id}`, {
      ...open.body,
      id: undefined,
      poolId: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      targetWorkers: 50,
    });
    expect((await scaling()).desiredWorkers).toBe(8);
    const closed = await call('POST', `/pools/${pool.id}/schedules`, {
      name: 'later',
      startTime: hhmm(new Date(now.getTime() + 2 * 3600_000)),
      endTime: hhmm(new Date(now.getTime() + 3 * 3600_000)),
      targetWorkers: 2,
    });
    expect(closed.status).toBe(201);
    expect(
      (
        await call('POST', `/pools/${pool.id}/schedules`, {
          name: 'bad',
          startTime: '25:00',
          endTime: '01:00',
          targetWorkers: 1,
        })
      ).body.field,
    ).toBe('startTime');
    expect((await call('DELETE', `/schedules/${created.body.id}`)).status).toBe(204);
  });
});
