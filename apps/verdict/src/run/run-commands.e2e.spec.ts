import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { NODE_TEST_COMMAND, nodeTestSuite, startTestServer, type TestServer } from '../api/test-server';

const MAIN = path.resolve(__dirname, '../main.ts');

/** The verdict CLI as a user runs it: its own process, talking to the server over HTTP. */
function verdict(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN, ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('verdict run, executions and cancel against a server', () => {
  let server: TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    env = {
      VERDICT_URL: server.url,
      VERDICT_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-cli-')),
    };
    const project = (await server.call('POST', '/projects', { name: 'Sample', slug: 'sample' })).body;
    await server.call('POST', `/projects/${project.id}/suites`, nodeTestSuite('unit'));
    // A run that cannot end before the CLI cancels it, however slow the machine.
    await server.call(
      'POST',
      `/projects/${project.id}/suites`,
      nodeTestSuite('slow', { command: `sleep 60 && ${NODE_TEST_COMMAND}` }),
    );
  });
  afterAll(() => server?.stop());

  it('asks to sign in, signs in with a username (keeping an API key readable only by its owner), and says who', async () => {
    const anonymous = await verdict(['executions'], env);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('wants you signed in: run `verdict login`');
    const wrong = await verdict(['login', '--username', 'admin', '--password', 'not-the-password'], env);
    expect([wrong.code, wrong.stderr.trim()]).toEqual([1, 'Error: wrong username or password']);
    const login = await verdict(['login', '--username', 'admin', '--password', 'e2e-admin-password'], env);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`signed in to ${server.url} as admin (ADMIN)`);
    const file = path.join(env.VERDICT_CONFIG_DIR, 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'))[server.url];
    expect(saved.apiKey).toMatch(/^vk_/);
    const me = JSON.parse((await verdict(['whoami', '--json'], env)).stdout);
    expect(me).toMatchObject({ username: 'admin', role: 'ADMIN', via: 'api-key' });
    // A key given on the command line works the same, and a wrong one is refused.
    const byKey = await verdict(['login', '--api-key', server.adminKey], {
      ...env,
      VERDICT_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-cli-')),
    });
    expect(byKey.code).toBe(0);
    const badKey = await verdict(['whoami'], { ...env, VERDICT_API_KEY: 'vk_nope_nope-nope-nope' });
    expect(badKey.stderr).toContain('the API key is not valid');
  }, 60_000);

  it('runs a suite by project/name, shows progress, prints the outcome and exits 1 when a test failed', async () => {
    const out = await verdict(['run', 'sample/unit', '--branch', 'main'], env);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^execution [0-9a-f-]{36}: unit$/m);
    expect(out.stderr).toMatch(/\[#+-*\] \d+\/14 +✓ \d+ +✗ \d+/);
    expect(out.stdout).toMatch(/^FAILED in [\d.]+ s: 13 passed, 1 failed, 0 skipped of 14$/m);
    expect(out.stdout).toMatch(/^ {2}✗ test\/\S+ › .+: /m);
    expect(out.stdout).toContain('  ~ test/flaky.test.js › talks to a slow service');
    expect(out.stdout).toMatch(
      new RegExp(`^report: ${server.url}/api/v1/executions/[0-9a-f-]{36}/report\\?format=html$`, 'm'),
    );
    // The first run of the branch: every failure is new.
    expect(out.stdout).toMatch(/^new failures \(passed in the previous run\):\n {2}! test\//m);
  }, 120_000);

  it("prints, and writes to a file, an ended run's report as text, JSON, HTML or JUnit", async () => {
    const list = JSON.parse((await verdict(['executions', '--json', '--limit', '1'], env)).stdout);
    const id = list.items[0].id;
    const text = await verdict(['report', id], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/13 passed, 1 failed, 0 skipped of 14/);
    expect(text.stdout).toMatch(/^failures \(1\):/m);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-report-'));
    for (const [format, check] of [
      ['html', /^<!doctype html>/i],
      ['junit', /^<\?xml/],
      ['json', /"executionId"/],
    ] as const) {
      const file = path.join(dir, `r.${format}`);
      const r = await verdict(['report', id, '--format', format, '--output', file], env);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toMatch(check);
    }
    const bad = await verdict(['report', id, '--format', 'pdf'], env);
    expect(bad.stderr).toContain('--format is text, json, html or junit, not "pdf"');
  }, 60_000);

  it('speaks JSON with --json, lists executions, and refuses to cancel a run that has ended', async () => {
    const run = await verdict(['run', 'sample/unit', '--json', '--retries', '2'], env);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ status: 'failed', progress: { total: 14, failed: 1 } });
    expect(summary.failures).toHaveLength(1);

    const list = JSON.parse((await verdict(['executions', '--suite', 'sample/unit', '--json'], env)).stdout);
    expect(list.total).toBe(2);
    expect(list.items[0].id).toBe(summary.executionId);
    const table = await verdict(['executions', '--status', 'failed', '--branch', 'main'], env);
    expect(table.stdout).toMatch(/^id +status +branch/m);
    expect(table.stdout).toContain('1 of 1');

    const cancel = await verdict(['cancel', summary.executionId], env);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain(`execution ${summary.executionId} is already failed`);
    expect(cancel.stderr).toContain('(field: status)');
  }, 120_000);

  it('starts without waiting, and cancels what it started', async () => {
    const started = await verdict(['run', 'sample/slow', '--no-wait', '--priority', '1'], env);
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const cancel = await verdict(['cancel', id, '--reason', 'not today', '--json'], env);
    expect(JSON.parse(cancel.stdout)).toMatchObject({
      id,
      status: 'cancelled',
      error: 'cancelled: not today',
    });
  }, 60_000);

  it('says what is wrong: an unknown suite, a bad option, a server that is not there', async () => {
    const unknown = await verdict(['run', 'sample/nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no suite "nope" in project sample; suites: (slow, unit|unit, slow)/);
    const bad = await verdict(['run', 'sample/unit', '--retries', 'many'], env);
    expect(bad.stderr).toContain('--retries expects a whole number from 0 to 10, got "many"');
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((r) => closed.close(r)); // a port nothing listens on
    const down = await verdict(['executions'], { VERDICT_URL: `http://127.0.0.1:${port}` });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach Verdict at http://127.0.0.1:${port} (ECONNREFUSED)`);
    const badUrl = await verdict(['executions'], { VERDICT_URL: 'not-a-url' });
    expect(badUrl.stderr).toContain('VERDICT_URL: expected a URL starting with http:// or https://');
  }, 60_000);
});
