import { createHmac, randomUUID } from 'node:crypto';
import { nodeTestSuite, startTestServer, type ApiCall, type Json, type TestServer } from './test-server';

const GITHUB_SECRET = 'github-webhook-secret-0123456789';
const GITLAB_SECRET = 'gitlab-webhook-token-0123456789';

describe('CI webhooks: signed GitHub and GitLab deliveries run the matching suites, once', () => {
  let server: TestServer;
  let call: ApiCall;
  const ids: Record<string, string> = {};

  const post = async (provider: 'github' | 'gitlab', headers: Record<string, string>, payload: object) => {
    const res = await fetch(`${server.url}/api/v1/hooks/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const github = (event: string, payload: object, opts: { secret?: string; delivery?: string } = {}) => {
    const body = JSON.stringify(payload);
    const signature = `sha256=${createHmac('sha256', opts.secret ?? GITHUB_SECRET)
      .update(body)
      .digest('hex')}`;
    return post(
      'github',
      {
        'x-github-event': event,
        'x-github-delivery': opts.delivery ?? randomUUID(),
        'x-hub-signature-256': signature,
      },
      payload,
    );
  };
  const repository = {
    clone_url: 'https://github.com/Acme/Shop.git',
    ssh_url: 'git@github.com:Acme/Shop.git',
    html_url: 'https://github.com/Acme/Shop',
  };
  const push = (branch: string, sha = 'a'.repeat(40)) => ({
    ref: `refs/heads/${branch}`,
    after: sha,
    repository,
    head_commit: { id: sha, author: { name: 'Ann', username: 'ann' } },
    pusher: { name: 'ann' },
  });
  const executions = async () => (await call('GET', '/executions?limit=1000')).body.items as Json[];

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_HOOKS_PER_MIN: '40' });
    call = server.call;
    const shop = (
      await call('POST', '/projects', {
        name: 'Shop',
        slug: 'shop',
        repositoryUrl: 'git@github.com:acme/shop.git',
      })
    ).body;
    ids.shop = shop.id;
    ids.unit = (
      await call(
        'POST',
        `/projects/${shop.id}/suites`,
        nodeTestSuite('unit', {}, { config: { shards: 1, ci: { branches: ['main', 'release/*'] } } }),
      )
    ).body.id;
    ids.nightly = (
      await call(
        'POST',
        `/projects/${shop.id}/suites`,
        nodeTestSuite('nightly', {}, { config: { ci: { enabled: false } } }),
      )
    ).body.id;
    const api = (
      await call('POST', '/projects', {
        name: 'Api',
        slug: 'api',
        repositoryUrl: 'https://gitlab.com/acme/api',
      })
    ).body;
    ids.api = api.id;
    ids.apiSuite = (
      await call(
        'POST',
        `/projects/${api.id}/suites`,
        nodeTestSuite('unit', {}, { config: { ci: { events: ['pull_request'] } } }),
      )
    ).body.id;
  });
  afterAll(() => server?.stop());

  it("keeps each project's secret, never shows it, and needs a repository URL to match deliveries by", async () => {
    const set = await call('PUT', `/projects/${ids.shop}/ci-webhook`, { secret: GITHUB_SECRET });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      configured: true,
      urls: { github: expect.stringMatching(/\/api\/v1\/hooks\/github$/) },
    });
    expect(JSON.stringify(set.body)).not.toContain(GITHUB_SECRET);
    expect((await call('PUT', `/projects/${ids.api}/ci-webhook`, { secret: GITLAB_SECRET })).status).toBe(
      200,
    );
    const bare = (await call('POST', '/projects', { name: 'Bare', slug: 'bare' })).body;
    const refused = await call('PUT', `/projects/${bare.id}/ci-webhook`, { secret: GITHUB_SECRET });
    expect([refused.status, refused.body.field]).toEqual([400, 'repositoryUrl']);
    expect((await call('PUT', `/projects/${ids.shop}/ci-webhook`, { secret: 'short' })).body.field).toBe(
      'secret',
    );
  });

  it('runs the suites whose filters match a signed push, with the CI metadata, and names them in the reply', async () => {
    const before = (await executions()).length;
    const r = await github('push', push('main'));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ provider: 'github', event: 'push', duplicate: false, ignored: null });
    expect(r.body.executions).toEqual([
      { executionId: expect.any(String), suite: 'unit', project: 'shop', workspace: 'default' },
    ]);
    const e = (await call('GET', `/executions/${r.body.executions[0].executionId}`)).body;
    expect(e.trigger).toMatchObject({
      type: 'ci',
      source: 'github',
      branch: 'main',
      commit: 'a'.repeat(40),
      author: 'ann',
    });
    expect((await executions()).length).toBe(before + 1);
  });

  it('acts on a delivery once, answering a redelivery with what it started', async () => {
    const delivery = randomUUID();
    const first = await github('push', push('release/1.2', 'b'.repeat(40)), { delivery });
    expect(first.body.executions).toHaveLength(1);
    const count = (await executions()).length;
    const again = await github('push', push('release/1.2', 'b'.repeat(40)), { delivery });
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.executions).toEqual(first.body.executions);
    expect((await executions()).length).toBe(count);
  });

  it('refuses bad or missing signatures with 401 and runs nothing', async () => {
    const count = (await executions()).length;
    const wrong = await github('push', push('main'), { secret: 'another-secret-of-length' });
    expect([wrong.status, wrong.body.detail]).toEqual([401, expect.stringContaining('X-Hub-Signature-256')]);
    const missing = await post(
      'github',
      { 'x-github-event': 'push', 'x-github-delivery': randomUUID() },
      push('main'),
    );
    expect(missing.status).toBe(401);
    // A signature over other bytes than those sent.
    const body = JSON.stringify(push('main'));
    const forged = await fetch(`${server.url}/api/v1/hooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(body).digest('hex')}`,
      },
      body: body.replace('main', 'mainx'),
    });
    expect(forged.status).toBe(401);
    const otherRepo = await github('push', {
      ...push('main'),
      repository: { clone_url: 'https://github.com/acme/other.git' },
    });
    expect(otherRepo.status).toBe(401);
    expect((await executions()).length).toBe(count);
  });

  it('runs pull requests opened, pushed to or reopened into a matching branch; acknowledges and ignores the rest', async () => {
    const pr = (action: string, base: string) => ({
      action,
      number: 42,
      repository,
      pull_request: {
        number: 42,
        head: { ref: 'feature/cart', sha: 'c'.repeat(40) },
        base: { ref: base },
        user: { login: 'bo' },
      },
    });
    const opened = await github('pull_request', pr('opened', 'main'));
    expect(opened.body.executions).toHaveLength(1);
    const e = (await call('GET', `/executions/${opened.body.executions[0].executionId}`)).body;
    expect(e.trigger).toMatchObject({
      type: 'ci',
      branch: 'feature/cart',
      pullRequest: 42,
      author: 'bo',
      commit: 'c'.repeat(40),
      metadata: { targetBranch: 'main' },
    });
    expect((await github('pull_request', pr('synchronize', 'main'))).body.executions).toHaveLength(1);
    const closed = await github('pull_request', pr('closed', 'main'));
    expect([closed.status, closed.body.executions, closed.body.ignored]).toEqual([
      202,
      [],
      'pull request action "closed" runs nothing',
    ]);
    const elsewhere = await github('pull_request', pr('opened', 'develop'));
    expect(elsewhere.body.ignored).toBe('no suite of shop runs on pull requests into develop');
    expect((await github('push', push('feature/x'))).body.ignored).toBe(
      'no suite of shop runs on pushes to feature/x',
    );
    expect((await github('ping', { zen: 'hi', repository })).body.ignored).toBe(
      'the ping event runs nothing',
    );
    expect((await github('push', { ...push('main'), ref: 'refs/tags/v1' })).body.ignored).toBe(
      'refs/tags/v1 is not a branch',
    );
  });

  it('takes GitLab pushes and merge requests with X-Gitlab-Token', async () => {
    const project = {
      git_http_url: 'https://gitlab.com/acme/api.git',
      git_ssh_url: 'git@gitlab.com:acme/api.git',
      web_url: 'https://gitlab.com/acme/api',
    };
    const gl = (event: string, payload: object, token = GITLAB_SECRET) =>
      post(
        'gitlab',
        { 'x-gitlab-event': event, 'x-gitlab-token': token, 'x-gitlab-event-uuid': randomUUID() },
        payload,
      );
    const mr = (action: string, extra: object = {}) => ({
      object_kind: 'merge_request',
      project,
      user: { username: 'cy' },
      object_attributes: {
        iid: 7,
        action,
        source_branch: 'fix/login',
        target_branch: 'main',
        last_commit: { id: 'd'.repeat(40) },
        ...extra,
      },
    });
    const opened = await gl('Merge Request Hook', mr('open'));
    expect(opened.status).toBe(202);
    expect(opened.body.executions).toEqual([expect.objectContaining({ suite: 'unit', project: 'api' })]);
    const e = (await call('GET', `/executions/${opened.body.executions[0].executionId}`)).body;
    expect(e.trigger).toMatchObject({
      type: 'ci',
      source: 'gitlab',
      branch: 'fix/login',
      pullRequest: 7,
      author: 'cy',
      commit: 'd'.repeat(40),
    });
    expect(
      (await gl('Merge Request Hook', mr('update', { oldrev: 'e'.repeat(40) }))).body.executions,
    ).toHaveLength(1);
    expect((await gl('Merge Request Hook', mr('update'))).body.ignored).toBe(
      'merge request action "update" runs nothing',
    );
    // The API suite runs on merge requests only.
    const pushed = await gl('Push Hook', {
      ref: 'refs/heads/main',
      checkout_sha: 'f'.repeat(40),
      user_username: 'cy',
      project,
    });
    expect(pushed.body.ignored).toBe('no suite of api runs on pushes to main');
    expect(
      (
        await gl(
          'Push Hook',
          { ref: 'refs/heads/main', checkout_sha: 'f'.repeat(40), project },
          'wrong-token-xxxxxxxxxx',
        )
      ).status,
    ).toBe(401);
  });

  it('rate limits deliveries per address: 429 with Retry-After', async () => {
    let last = 0;
    for (let i = 0; i < 45 && last !== 429; i++) last = (await github('ping', { repository })).status;
    expect(last).toBe(429);
  });
});
