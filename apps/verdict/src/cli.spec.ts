import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@verdict/testing';

const run = promisify(execFile);
const MAIN = path.join(__dirname, 'main.ts');

/** Runs the real CLI as a separate process, on an embedded database in a temporary data dir. */
async function verdict(dataDir: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--require', 'tsx/cjs', MAIN, ...args], {
      env: { PATH: process.env.PATH, VERDICT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('verdict CLI', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, reports status, seeds idempotently and rolls back, on the embedded database', async () => {
    const migrate = await verdict(dataDir, ['db', 'migrate', '--to', '2']);
    expect(migrate).toMatchObject({ code: 0 });
    expect(migrate.stdout).toBe('applied 0001_identity\napplied 0002_test_platform\n');

    const status = await verdict(dataDir, ['db', 'status', '--json']);
    const rows = JSON.parse(status.stdout).migrations as { version: number; applied: boolean }[];
    const files = fs
      .readdirSync(path.resolve(__dirname, '../../../libs/db/migrations'))
      .filter((f) => f.endsWith('.up.sql'))
      .sort();
    const latest = files.at(-1)!.replace('.up.sql', '');
    expect(rows.map((r) => [r.version, r.applied])).toEqual(files.map((_, i) => [i + 1, i < 2]));

    expect((await verdict(dataDir, ['db', 'migrate'])).stdout).toContain(`applied ${latest}`);
    const seeded = await verdict(dataDir, ['db', 'seed']);
    expect(seeded.stdout).toContain('created user admin');
    expect(seeded.stdout).toMatch(/admin password \(shown once, stored hashed\): \S{16}/);
    const again = await verdict(dataDir, ['db', 'seed', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ created: [] });
    const cleanup = await verdict(dataDir, ['db', 'cleanup', '--days', '14', '--json']);
    expect(JSON.parse(cleanup.stdout)).toMatchObject({
      dryRun: false,
      policy: { executionsDays: 14, failedExecutionsDays: 180 },
      deleted: { executions: 0, results: 0 },
    });
    const badDays = await verdict(dataDir, ['db', 'cleanup', '--days', 'zero']);
    expect(badDays.stderr).toContain('--days expects a number of days from 1, got "zero"');

    const back = await verdict(dataDir, ['db', 'rollback']);
    expect(back.stdout).toBe(`reverted ${latest}\n`);
  }, 120_000);

  it('refuses bad input with a message that says how to fix it, and a non-zero exit', async () => {
    const to = await verdict(dataDir, ['db', 'rollback', '--to', 'last']);
    expect(to.code).toBe(1);
    expect(to.stderr).toContain('--to expects a migration number such as 3, got "last"');
    const reset = await verdict(dataDir, ['db', 'reset']);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain('Run again with --yes to confirm');
    const env = await verdict(dataDir, ['db', 'status'], { DATABASE_URL: 'mysql://db/x' });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://');
    const down = await verdict(dataDir, ['db', 'status'], {
      DATABASE_URL: 'postgres://verdict@127.0.0.1:1/verdict',
      DATABASE_CONNECT_RETRIES: '0',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Database at 127.0.0.1:1/verdict is unreachable');
  }, 120_000);

  it('start serves /healthz and /readyz naming every dependency, and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-start-'));
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', MAIN, 'start', '--port', '0', '--mock-port', '0'],
      {
        env: {
          PATH: process.env.PATH,
          VERDICT_DATA_DIR: dir,
          LOG_LEVEL: 'info',
          VERDICT_ADMIN_PASSWORD: 'cli-spec-password',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.on('data', (d) => (logs += d));
    try {
      await waitFor(() => /"msg":"Verdict is running"/.test(logs), 60_000, 'Verdict to start');
      const running = JSON.parse(logs.split('\n').find((l) => l.includes('Verdict is running'))!);
      const url = running.url as string;
      // The stub manager runs in the same process, on its own port.
      // Signed in as the seeded admin: the API and the stub manager take the same session.
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: 'cli-spec-password' }),
      });
      const { token } = (await login.json()) as { token: string };
      const auth = { authorization: `Bearer ${token}` };
      expect((await fetch(`${url}/api/v1/projects`)).status).toBe(401);
      const mocks = await fetch(`${running.mocks}/api/v1/mocks`, { headers: auth });
      expect([mocks.status, ((await mocks.json()) as { total: number }).total]).toEqual([200, 0]);
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as {
        dependencies: { name: string; adapter: string; status: string }[];
      };
      expect(body.dependencies.map((d) => [d.name, d.adapter, d.status])).toEqual([
        ['database', 'pglite', 'up'],
        ['broker', 'in-process', 'up'],
        ['redis', 'in-process', 'up'],
        ['docstore', 'sql', 'up'],
        ['metrics', 'sql', 'up'],
      ]);
      const missing = await fetch(`${url}/nope`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      // The API is served by the same process, on the seeded default workspace.
      const openapi = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { openapi: string };
      expect(openapi.openapi).toBe('3.1.0');
      const project = await fetch(`${url}/api/v1/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ name: 'Shop', slug: 'shop' }),
      });
      expect(project.status).toBe(201);
      expect(
        ((await (await fetch(`${url}/api/v1/projects`, { headers: auth })).json()) as { total: number })
          .total,
      ).toBe(1);
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.once('exit', r));
      expect(code).toBe(0);
      expect(logs).toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
