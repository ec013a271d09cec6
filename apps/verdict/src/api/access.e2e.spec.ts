import { waitFor } from '@verdict/testing';
import {
  apiCaller,
  nodeTestSuite,
  startTestServer,
  type ApiCall,
  type Json,
  type TestServer,
} from './test-server';

const PASSWORD = 'a-long-enough-password';

describe('access: sign-in, roles, workspace isolation on every resource, rate limits, the audit log', () => {
  let server: TestServer;
  let admin: ApiCall;
  /** A caller with a user's API key, acting in the workspace named (or their default). */
  const as = (key: string, workspace?: string, base: 'api' | 'mocks' = 'api') =>
    apiCaller(
      `${base === 'api' ? server.url : server.mockUrl}/api/v1`,
      key,
      workspace ? { 'x-verdict-workspace': workspace } : {},
    );
  const keys: Record<string, string> = {};
  /** What bob keeps in team-b. */
  const b: Record<string, string> = {};

  const user = async (username: string, role = 'USER') => {
    const r = await admin('POST', '/users', {
      username,
      email: `${username}@example.com`,
      fullName: username,
      password: PASSWORD,
      role,
    });
    expect(r.status).toBe(201);
    const session = await apiCaller(`${server.url}/api/v1`)('POST', '/auth/login', {
      login: username,
      password: PASSWORD,
    });
    const key = await apiCaller(`${server.url}/api/v1`, session.body.token)('POST', '/api-keys', {
      name: 'spec',
    });
    expect(key.status).toBe(201);
    keys[username] = key.body.key;
    return r.body;
  };

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_LOGIN_PER_MIN: '5' });
    admin = server.call;
    await user('alice');
    await user('bob');
    await user('carol');
    await user('dave', 'DEVOPS');
    expect((await as(keys.alice)('POST', '/workspaces', { name: 'Team A', slug: 'team-a' })).status).toBe(
      201,
    );
    expect((await as(keys.bob)('POST', '/workspaces', { name: 'Team B', slug: 'team-b' })).status).toBe(201);
    expect((await as(keys.alice)('PUT', '/workspaces/team-a/members/carol', { role: 'MEMBER' })).status).toBe(
      200,
    );

    // Bob fills team-b with one of everything.
    const bob = as(keys.bob, 'team-b');
    const bobMocks = as(keys.bob, 'team-b', 'mocks');
    b.project = (await bob('POST', '/projects', { name: 'B', slug: 'b' })).body.id;
    b.suite = (
      await bob(
        'POST',
        `/projects/${b.project}/suites`,
        nodeTestSuite('unit', {}, { config: { shards: 1, retries: 0, timeout: 120_000 } }),
      )
    ).body.id;
    b.environment = (await bob('POST', '/environments', { name: 'staging', type: 'staging' })).body.id;
    b.rule = (
      await bob('POST', '/notification-rules', {
        name: 'hook',
        target: { channel: 'webhook', url: 'http://127.0.0.1:9/x', secret: 'a-secret-of-16-chars' },
        when: 'always',
      })
    ).body.id;
    b.mock = (
      await bobMocks('POST', '/mocks', { name: 'b-mock', routes: [{ method: 'GET', path: '/x' }] })
    ).body.id;
    b.scenario = (
      await bobMocks('POST', '/scenarios', { name: 'b-scenario', actions: [{ type: 'WAIT', ms: 1 }] })
    ).body.id;
    b.schedule = (
      await bob('POST', `/suites/${b.suite}/schedules`, { name: 'nightly', cron: '0 3 * * *' })
    ).body.id;
    await bob('PATCH', `/projects/${b.project}`, { repositoryUrl: 'https://github.com/bob/b.git' });
    expect(
      (await bob('PUT', `/projects/${b.project}/ci-webhook`, { secret: 'bob-webhook-secret-123' })).status,
    ).toBe(200);
    b.execution = (await bob('POST', `/suites/${b.suite}/executions`, {})).body.id;
    await waitFor(
      async () =>
        ['completed', 'failed'].includes((await bob('GET', `/executions/${b.execution}`)).body.status),
      60_000,
      'the run to end',
    );
    b.key = (await bob('GET', '/api-keys')).body.items[0].id;
    for (const [k, v] of Object.entries(b))
      expect([k, v]).toEqual([k, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  }, 120_000);
  afterAll(() => server?.stop());

  it('asks who is calling: 401 without credentials or with bad ones; sessions end at sign-out', async () => {
    const anonymous = await apiCaller(`${server.url}/api/v1`)('GET', '/projects');
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthorized']);
    const res = await fetch(`${server.url}/api/v1/projects`);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="verdict"');
    expect((await as('vs_made-up-session-token')('GET', '/projects')).status).toBe(401);
    expect((await apiCaller(`${server.mockUrl}/api/v1`)('GET', '/mocks')).status).toBe(401);
    // Mock traffic is for the tests under execution: no credentials.
    expect((await fetch(`${server.mockUrl}/mocks/b-mock/x`)).status).toBe(200);

    const login = await apiCaller(`${server.url}/api/v1`)('POST', '/auth/login', {
      login: 'ALICE@example.com',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username: 'alice', role: 'USER' });
    const session = as(login.body.token);
    expect((await session('GET', '/auth/me')).body.workspaces.map((w: Json) => [w.slug, w.role])).toEqual([
      ['team-a', 'OWNER'],
    ]);
    expect((await session('POST', '/auth/logout')).status).toBe(204);
    expect((await session('GET', '/auth/me')).status).toBe(401);
  });

  it('keeps workspace B out of reach of a member of A, on every resource type', async () => {
    const withHeader = as(keys.alice, 'team-b');
    const mocksWithHeader = as(keys.alice, 'team-b', 'mocks');
    // Naming B: refused outright, whatever the resource.
    expect((await withHeader('GET', '/projects')).status).toBe(403);
    expect((await withHeader('GET', '/projects')).body.detail).toBe(
      'you are not a member of workspace "team-b"',
    );
    expect((await mocksWithHeader('GET', '/mocks')).status).toBe(403);
    // Acting in A: B's resources do not exist, to read, change or delete.
    const alice = as(keys.alice);
    const mocks = as(keys.alice, undefined, 'mocks');
    const cases: [ApiCall, string, string, unknown?][] = [
      [alice, 'GET', `/projects/${b.project}`],
      [alice, 'PATCH', `/projects/${b.project}`, { name: 'mine now' }],
      [alice, 'DELETE', `/projects/${b.project}`],
      [alice, 'GET', `/suites/${b.suite}`],
      [alice, 'PATCH', `/suites/${b.suite}`, { description: 'x' }],
      [alice, 'DELETE', `/suites/${b.suite}`],
      [alice, 'POST', `/suites/${b.suite}/executions`, {}],
      [alice, 'GET', `/suites/${b.suite}/test-cases`],
      [alice, 'GET', `/environments/${b.environment}`],
      [alice, 'PATCH', `/environments/${b.environment}`, { name: 'x' }],
      [alice, 'DELETE', `/environments/${b.environment}`],
      [alice, 'GET', `/executions/${b.execution}`],
      [alice, 'GET', `/executions/${b.execution}/results`],
      [alice, 'GET', `/executions/${b.execution}/report`],
      [alice, 'GET', `/executions/${b.execution}/logs`],
      [alice, 'POST', `/executions/${b.execution}/cancel`, {}],
      [alice, 'GET', `/notification-rules/${b.rule}`],
      [alice, 'PATCH', `/notification-rules/${b.rule}`, { name: 'x' }],
      [alice, 'DELETE', `/notification-rules/${b.rule}`],
      [alice, 'DELETE', `/api-keys/${b.key}`],
      [alice, 'GET', `/schedules/${b.schedule}`],
      [alice, 'GET', `/schedules/${b.schedule}/next-runs`],
      [alice, 'PATCH', `/schedules/${b.schedule}`, { isActive: false }],
      [alice, 'DELETE', `/schedules/${b.schedule}`],
      [alice, 'POST', `/suites/${b.suite}/schedules`, { name: 'mine', cron: '* * * * *' }],
      [alice, 'GET', `/projects/${b.project}/ci-webhook`],
      [alice, 'PUT', `/projects/${b.project}/ci-webhook`, { secret: 'alice-took-it-over-1' }],
      [alice, 'DELETE', `/projects/${b.project}/ci-webhook`],
      [mocks, 'GET', `/mocks/${b.mock}`],
      [mocks, 'PATCH', `/mocks/${b.mock}`, { status: 'INACTIVE' }],
      [mocks, 'DELETE', `/mocks/${b.mock}`],
      [mocks, 'GET', `/mocks/${b.mock}/requests`],
      [mocks, 'POST', `/mocks/${b.mock}/verify`, {}],
      [mocks, 'POST', `/mocks/${b.mock}/routes`, { method: 'GET', path: '/y' }],
      [mocks, 'GET', `/scenarios/${b.scenario}`],
      [mocks, 'POST', `/scenarios/${b.scenario}/runs`, {}],
      [mocks, 'DELETE', `/scenarios/${b.scenario}`],
    ];
    for (const [call, method, url, body] of cases) {
      const r = await call(method, url, body);
      expect([method, url, r.status]).toEqual([method, url, 404]);
    }
    // Lists in A hold none of B's.
    for (const [call, url] of [
      [alice, '/projects'],
      [alice, '/suites'],
      [alice, '/environments'],
      [alice, '/executions'],
      [alice, '/notification-rules'],
      [alice, '/notification-deliveries'],
      [alice, '/schedules'],
      [mocks, '/mocks'],
      [mocks, '/scenarios'],
    ] as const)
      expect([url, (await call('GET', url)).body.total]).toEqual([url, 0]);
    expect((await alice('GET', '/workspaces/team-b/members')).status).toBe(403);
    expect((await alice('PUT', '/workspaces/team-b/members/alice', { role: 'OWNER' })).status).toBe(403);
    // And B's things are all still there.
    const bob = as(keys.bob, 'team-b');
    expect((await bob('GET', `/projects/${b.project}`)).body.name).toBe('B');
    expect((await as(keys.bob, 'team-b', 'mocks')('GET', `/mocks/${b.mock}`)).body.status).toBe('ACTIVE');
    expect((await bob('GET', '/api-keys')).body.items[0].revokedAt).toBeNull();
    expect((await bob('GET', `/schedules/${b.schedule}`)).body.isActive).toBe(true);
    expect((await bob('GET', `/projects/${b.project}/ci-webhook`)).body.configured).toBe(true);
  });

  it('gives each role its due: members run and use mocks, owners change, DEVOPS runs the fleet, ADMIN everything', async () => {
    const carol = as(keys.carol, 'team-a');
    expect((await carol('GET', '/projects')).status).toBe(200);
    const denied = await carol('POST', '/projects', { name: 'C', slug: 'c' });
    expect([denied.status, denied.body.detail]).toEqual([
      403,
      expect.stringContaining('needs the OWNER role in workspace "team-a"; you are MEMBER'),
    ]);
    expect((await as(keys.carol, 'team-a', 'mocks')('POST', '/mocks', { name: 'carol-mock' })).status).toBe(
      201,
    );
    expect((await carol('PUT', '/workspaces/team-a/members/bob', { role: 'MEMBER' })).status).toBe(403);

    const alice = as(keys.alice, 'team-a');
    const project = await alice('POST', '/projects', { name: 'A', slug: 'a' });
    expect(project.status).toBe(201);
    const suite = (await alice('POST', `/projects/${project.body.id}/suites`, nodeTestSuite('unit'))).body;
    const run = await carol('POST', `/suites/${suite.id}/executions`, {});
    expect(run.status).toBe(201);
    // The run says who started it.
    expect(run.body.userId).toBe((await carol('GET', '/auth/me')).body.id);
    expect((await carol('POST', `/executions/${run.body.id}/cancel`, {})).status).toBe(202);

    expect(
      (await as(keys.alice)('POST', '/pools', { name: 'gpu', minWorkers: 0, maxWorkers: 2 })).status,
    ).toBe(403);
    expect(
      (await as(keys.dave)('POST', '/pools', { name: 'gpu', minWorkers: 0, maxWorkers: 2 })).status,
    ).toBe(201);
    expect((await as(keys.dave)('GET', '/nodes')).status).toBe(200);
    expect((await as(keys.dave)('GET', '/users')).status).toBe(403);
    expect((await as(keys.alice)('GET', '/audit-logs')).status).toBe(403);
    // Usernames and emails are unique, whatever their case.
    for (const [username, email, field] of [
      ['ALICE', 'x@example.com', 'username'],
      ['alice2', 'Alice@Example.com', 'email'],
    ] as const) {
      const dup = await admin('POST', '/users', { username, email, fullName: 'X', password: PASSWORD });
      expect([dup.status, dup.body.field]).toEqual([409, field]);
    }
    expect(
      (
        await admin('POST', '/users', {
          username: 'weak',
          email: 'weak@example.com',
          fullName: 'W',
          password: 'short',
        })
      ).body.field,
    ).toBe('password');
    // An ADMIN acts in any workspace.
    expect((await as(server.adminKey, 'team-b')('GET', `/projects/${b.project}`)).status).toBe(200);
    // The last owner stays.
    const last = await alice('PUT', '/workspaces/team-a/members/alice', { role: 'MEMBER' });
    expect([last.status, last.body.field]).toEqual([400, 'role']);
  });

  it('narrows API keys to a workspace and scopes', async () => {
    const bound = (
      await as(keys.alice)('POST', '/api-keys', { name: 'ci', workspace: 'team-a', scopes: ['read'] })
    ).body;
    expect(bound.key).toMatch(/^vk_/);
    expect((await as(bound.key)('GET', '/projects')).body.total).toBe(1);
    const write = await as(bound.key)('POST', '/projects', { name: 'Z', slug: 'z' });
    expect([write.status, write.body.detail]).toEqual([403, expect.stringContaining('do not allow "write"')]);
    expect((await as(bound.key, 'default')('GET', '/projects')).status).toBe(403);
    // Listed without the key itself; revoked, it stops at once.
    const listed = (await as(keys.alice)('GET', '/api-keys')).body.items.find((k: Json) => k.id === bound.id);
    expect(listed).toMatchObject({ name: 'ci', scopes: ['read'], prefix: bound.prefix });
    expect(listed.key).toBeUndefined();
    expect((await as(keys.alice)('DELETE', `/api-keys/${bound.id}`)).status).toBe(204);
    expect((await as(bound.key)('GET', '/projects')).status).toBe(401);
  });

  it('rate limits sign-in per account: 429 with Retry-After, the right password refused too until the window ends', async () => {
    const anon = apiCaller(`${server.url}/api/v1`);
    for (let i = 0; i < 5; i++)
      expect((await anon('POST', '/auth/login', { login: 'carol', password: 'wrong-password' })).status).toBe(
        401,
      );
    const limited = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'carol', password: PASSWORD }),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('records every mutating action, failed ones too, for admins to query', async () => {
    const bobId = (await admin('GET', '/users?search=bob')).body.items[0].id;
    const created = await admin(
      'GET',
      `/audit-logs?userId=${bobId}&category=PROJECT&status=SUCCESS&action=${encodeURIComponent('POST /projects')}`,
    );
    expect(created.status).toBe(200);
    expect(created.body.items[0]).toMatchObject({
      action: 'POST /projects',
      category: 'PROJECT',
      resourceType: 'projects',
      resourceId: b.project,
      resourceName: 'B',
      userRole: 'USER/OWNER',
      userEmail: 'bob@example.com',
      status: 'SUCCESS',
      ipAddress: expect.stringMatching(/127\.0\.0\.1/),
      userAgent: expect.any(String),
    });
    const failed = await admin(
      'GET',
      `/audit-logs?status=FAILURE&action=${encodeURIComponent('PATCH /projects/:projectId')}`,
    );
    expect(failed.body.items[0]).toMatchObject({
      status: 'FAILURE',
      errorMessage: expect.stringContaining('not found'),
    });
    const logins = await admin('GET', '/audit-logs?category=AUTH&status=FAILURE&limit=100');
    const attempt = logins.body.items.find((e: Json) => e.action === 'POST /auth/login');
    expect(attempt.errorMessage).toMatch(/wrong username or password|too many/);
    expect(attempt.details.body.password).toBe('********');
    const hooks = await admin('GET', '/audit-logs?category=NOTIFICATION');
    expect(JSON.stringify(hooks.body.items)).not.toContain('a-secret-of-16-chars');
    const mocks = await admin('GET', '/audit-logs?category=MOCK&limit=100');
    expect(mocks.body.items.map((e: Json) => e.action)).toContain('POST /mocks');
    const page = await admin('GET', '/audit-logs?limit=2&offset=1');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(20);
  });
});
