import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { nodeTestSuite, startTestServer, type TestServer } from '../api/test-server';

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
    env = { VERDICT_URL: server.url };
    const project = (await server.call('POST', '/projects', { name: 'Sample', slug: 'sample' })).body;
    await server.call('POST', `/projects/${project.id}/suites`, nodeTestSuite('unit'));
  });
  afterAll(() => server?.stop());

  it('runs a suite by project/name, shows progress, prints the outcome and exits 1 when a test failed', async () => {
    const out = await verdict(['run', 'sample/unit', '--branch', 'main'], env);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^execution [0-9a-f-]{36}: unit$/m);
    expect(out.stderr).toMatch(/\[#+-*\] \d+\/14 +✓ \d+ +✗ \d+/);
    expect(out.stdout).toMatch(/^FAILED in [\d.]+ s: 13 passed, 1 failed, 0 skipped of 14$/m);
    expect(out.stdout).toMatch(/^ {2}✗ test\/\S+ › .+: /m);
    expect(out.stdout).toContain('  ~ test/flaky.test.js › talks to a slow service');
  }, 120_000);

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
    const started = await verdict(['run', 'sample/unit', '--no-wait', '--priority', '1'], env);
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const cancel = await verdict(['cancel', id, '--reason', 'not today', '--json'], env);
    // Fast machines may finish planning first; either way the run ends cancelled.
    expect(JSON.parse(cancel.stdout)).toMatchObject({
      id,
      status: 'cancelled',
      error: 'cancelled: not today',
    });
  }, 60_000);

  it('says what is wrong: an unknown suite, a bad option, a server that is not there', async () => {
    const unknown = await verdict(['run', 'sample/nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no suite "nope" in project sample; suites: unit');
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
