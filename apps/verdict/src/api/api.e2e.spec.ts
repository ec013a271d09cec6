import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep, waitFor } from '@verdict/testing';
import { SAMPLE_PROJECT } from '../demo/demo-command';
import type { Services } from '../start/all-in-one';
import { nodeTestSuite, startTestServer, type ApiCall, type TestServer } from './test-server';

/** The sample project as a real git repository; returns its file:// URL and commit. */
function sampleRepo(): { url: string; commit: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-sample-git-'));
  fs.cpSync(SAMPLE_PROJECT, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'sample');
  return { url: `file://${dir}`, commit: git('rev-parse', 'HEAD') };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the HTTP API over the all-in-one process (embedded adapters, 2 workers)', () => {
  let test: TestServer;
  let services: Services;
  let base: string;
  let projectId: string;

  let call: ApiCall;
  const createSuite = async (
    name: string,
    run: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const r = await call('POST', `/projects/${projectId}/suites`, nodeTestSuite(name, run, extra));
    expect(r.status).toBe(201);
    return r.body;
  };
  const runToEnd = async (suiteId: string, body: Record<string, unknown> = {}) => {
    const started = await call('POST', `/suites/${suiteId}/executions`, body);
    expect(started.status).toBe(201);
    services.orchestrator.relay.nudge();
    let execution = started.body;
    await waitFor(
      async () => {
        execution = (await call('GET', `/executions/${started.body.id}`)).body;
        return ['completed', 'failed', 'cancelled'].includes(execution.status);
      },
      120_000,
      `execution ${started.body.id} to end`,
    );
    return execution;
  };

  beforeAll(async () => {
    test = await startTestServer({ WORKER_LEASE_MS: '3000' });
    ({ services } = test);
    base = `${test.url}/api/v1`;
    call = test.call;
    projectId = (await call('POST', '/projects', { name: 'E2E', slug: 'e2e' })).body.id;
  });

  afterAll(() => test?.stop());

  it('runs a suite from a git repository at the commit its branch names, every test reported', async () => {
    const repo = sampleRepo();
    const suite = await createSuite('from git', { source: { type: 'git', url: repo.url, ref: 'main' } });
    const execution = await runToEnd(suite.id, { branch: 'main' });
    expect(execution).toMatchObject({
      status: 'failed', // the sample has one failing test on purpose
      trigger: { branch: 'main', commit: repo.commit },
      progress: { total: 14, completed: 14, passed: 13, failed: 1, pending: 0 },
    });
    expect(execution.shards.map((s: { status: string }) => s.status)).toEqual(['done', 'done']);
    const results = (await call('GET', `/executions/${execution.id}/results?limit=100`)).body;
    expect(results.total).toBe(14);
    expect(
      results.items
        .filter((r: { flaky: boolean }) => r.flaky)
        .map((r: { test: { name: string } }) => r.test.name),
    ).toEqual(['talks to a slow service']);
    // Its report: JSON by default, HTML or JUnit by format or Accept, as a file when asked.
    await waitFor(
      async () => (await call('GET', `/executions/${execution.id}/report`)).status === 200,
      30_000,
      'the report',
    );
    const report = (await call('GET', `/executions/${execution.id}/report`)).body;
    expect(report.summary).toMatchObject({ total: 14, passed: 13, failed: 1 });
    expect(report.extra.flaky).toEqual([
      { key: 'test/flaky.test.js::talks to a slow service', reason: 'retry' },
    ]);
    expect(report.extra.newFailures).toHaveLength(1);
    const html = await fetch(`${base}/executions/${execution.id}/report`, {
      headers: { accept: 'text/html', authorization: `Bearer ${test.adminKey}` },
    });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('<h2>Failures (1)</h2>');
    const junit = await fetch(`${base}/executions/${execution.id}/report?format=junit&download=true`, {
      headers: { authorization: `Bearer ${test.adminKey}` },
    });
    expect(junit.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(junit.headers.get('content-disposition')).toBe(`attachment; filename=verdict-${execution.id}.xml`);
    expect(await junit.text()).toMatch(/<testsuites name="E2E \/ from git" tests="14" failures="1"/);
    const logs = (await call('GET', `/executions/${execution.id}/logs?level=info,warn&limit=5`)).body;
    expect(logs.total).toBeGreaterThan(0);
    expect(logs.items.every((l: { level: string }) => ['info', 'warn'].includes(l.level))).toBe(true);
    expect((await call('GET', `/executions/${execution.id}/logs?level=loud`)).body.field).toBe('level.0');

    const cases = (await call('GET', `/suites/${suite.id}/test-cases?limit=100`)).body;
    expect(cases.total).toBe(14);
    expect(cases.items.every((c: { history: { runs: number } }) => c.history.runs === 1)).toBe(true);
  }, 180_000);

  it('cancels a running execution: the shard processes are killed and it ends cancelled', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-cancel-'));
    fs.mkdirSync(path.join(dir, 'test'));
    const pids = path.join(dir, 'pids');
    fs.mkdirSync(pids);
    for (const n of [1, 2])
      fs.writeFileSync(
        path.join(dir, 'test', `slow${n}.test.js`),
        `const fs = require('node:fs'); const test = require('node:test');
         test('waits a minute', async () => {
           fs.writeFileSync(${JSON.stringify(pids)} + '/' + process.pid, '');
           await new Promise((r) => setTimeout(r, 60000));
         });`,
      );
    const suite = await createSuite('slow', { source: { type: 'local', path: dir } });
    const started = (await call('POST', `/suites/${suite.id}/executions`, {})).body;
    services.orchestrator.relay.nudge();
    await waitFor(() => fs.readdirSync(pids).length === 2, 60_000, 'both shards to be running');
    const running = fs.readdirSync(pids).map(Number);
    const early = (await call('GET', `/executions/${started.id}/report`)).body;
    expect(early).toMatchObject({ status: 409, field: 'executionId' });
    expect(early.detail).toMatch(/is running: its report is made when it ends/);

    const cancelled = await call('POST', `/executions/${started.id}/cancel`, { reason: 'e2e' });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', stoppingJobs: 2 });
    await waitFor(() => running.every((pid) => !alive(pid)), 30_000, 'the test processes to be killed');
    // The workers are free again and store nothing for the cancelled run.
    await waitFor(() => services.workers.every((w) => !w.busy), 30_000, 'the workers to be idle');
    await sleep(500);
    const after = (await call('GET', `/executions/${started.id}`)).body;
    expect(after).toMatchObject({ status: 'cancelled', progress: { completed: 0 } });
    expect(after.shards.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'cancelled']);
  }, 180_000);

  it('records a command that is not there (exit 127) and a report that is not XML as broken, with the reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-bad-'));
    fs.mkdirSync(path.join(dir, 'test'));
    for (const n of [1, 2, 3]) fs.writeFileSync(path.join(dir, 'test', `t${n}.test.js`), '');

    const missing = await createSuite('missing command', {
      source: { type: 'local', path: dir },
      command: 'no-such-test-runner {files} --out {report}',
    });
    const e1 = await runToEnd(missing.id);
    expect(e1).toMatchObject({ status: 'failed', progress: { total: 3, failed: 3, passed: 0 } });
    const r1 = (await call('GET', `/executions/${e1.id}/results`)).body.items;
    expect(r1.map((r: { status: string }) => r.status)).toEqual(['broken', 'broken', 'broken']);
    expect(r1[0].error.message).toMatch(/the command was not found \(exit code 127\)/);

    const notXml = await createSuite('not xml', {
      source: { type: 'local', path: dir },
      command: 'echo "<<this is not XML" > {report}; true {files}',
      reportFormat: 'junit',
    });
    const e2 = await runToEnd(notXml.id);
    expect(e2.status).toBe('failed');
    const r2 = (await call('GET', `/executions/${e2.id}/results`)).body.items;
    expect(r2.length).toBeGreaterThan(0);
    expect(r2.every((r: { status: string }) => r.status === 'broken')).toBe(true);
    expect(r2[0].error.message).toMatch(/JUnit XML/);

    // A git source whose branch does not exist: the run fails before it starts, saying why.
    const repo = sampleRepo();
    const noBranch = await createSuite('no branch', { source: { type: 'git', url: repo.url, ref: 'nope' } });
    const e3 = await runToEnd(noBranch.id);
    expect(e3).toMatchObject({ status: 'failed', progress: { total: 0 } });
    expect(e3.error).toMatch(/ref "nope" does not exist/);
  }, 180_000);
});
