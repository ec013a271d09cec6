import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { childProcessEnv, createLogger, loadConfig } from '@verdict/config';
import type { Envelope } from '@verdict/contracts';
import { Migrator, NodeRepository, ResultRepository, seed, TestCaseRepository } from '@verdict/db';
import { triggerExecution } from '@verdict/orchestrator';
import { NODE_TEST_REPORTER, parseNodeTest, testKey } from '@verdict/report-formats';
import { freshPglite, waitFor } from '@verdict/testing';
import { openPlatform, type Platform } from '@verdict/platform';
import { startServices, type Services } from '../start/all-in-one';
import { ensureSampleSuite, SAMPLE_PROJECT } from './demo-command';

const run = promisify(execFile);

/** What running the sample project's tests directly reports, test by test. */
async function runDirectly(): Promise<Map<string, string>> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-direct-')), 'report.jsonl');
  const files = fs.readdirSync(path.join(SAMPLE_PROJECT, 'test')).map((f) => `test/${f}`);
  await run(
    process.execPath,
    ['--test', `--test-reporter=${NODE_TEST_REPORTER}`, `--test-reporter-destination=${out}`, ...files],
    {
      cwd: SAMPLE_PROJECT,
      env: { PATH: process.env.PATH, VERDICT_EXECUTION_ID: randomUUID() },
    },
  ).catch(() => undefined);
  return new Map(
    parseNodeTest(fs.readFileSync(out, 'utf8'), { rootDir: SAMPLE_PROJECT }).map((t) => [
      testKey(t),
      t.status,
    ]),
  );
}

describe('the execution pipeline, all in one process (embedded adapters)', () => {
  let platform: Platform;
  let services: Services;
  const completed: Envelope[] = [];

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-e2e-'));
    const config = loadConfig({
      VERDICT_DATA_DIR: dataDir,
      VERDICT_WORKERS: '2',
      VERDICT_ADMIN_PASSWORD: 'e2e-admin-password',
    });
    const log = createLogger('silent');
    platform = await openPlatform(config, log, await freshPglite());
    await new Migrator(platform.db).migrate();
    await seed(platform.db, config);
    await platform.bus.subscribe({
      queue: 'e2e.completed',
      bindings: [{ exchange: 'test.execution', pattern: 'execution.completed' }],
      handler: async (e) => void completed.push(e),
    });
    services = await startServices(platform, log, childProcessEnv());
  });

  afterAll(async () => {
    await services?.stop(5000);
    await platform?.close();
  });

  it('runs the sample suite across 2 workers; every stored result matches running the tests directly', async () => {
    const { ws, suite } = await ensureSampleSuite(platform.db);
    const execution = await triggerExecution(platform.db, {
      workspaceId: ws.id,
      suiteId: suite.id,
      trigger: { type: 'manual', source: 'e2e' },
    });
    services.orchestrator.relay.nudge();
    await waitFor(
      () => completed.some((e) => (e.payload as { executionId: string }).executionId === execution.id),
      120_000,
      'execution.completed',
    );

    const direct = await runDirectly();
    const results = (
      await new ResultRepository(platform.db).list({ executionId: execution.id }, { limit: 1000, offset: 0 })
    ).items;
    const cases = await new TestCaseRepository(platform.db).identities(suite.id);
    const keys = new Map([...cases].map(([id, c]) => [id, c.testKey]));
    const stored = new Map(results.map((r) => [keys.get(r.testCaseId)!, r]));
    expect([...stored.keys()].sort()).toEqual([...direct.keys()].sort());
    for (const [key, status] of direct) {
      const r = stored.get(key)!;
      // Run directly there is no retry: a flaky test fails there and passes on Verdict's retry.
      if (r.flaky)
        expect([status, r.retries.attempts[0].status, r.status]).toEqual(['failed', 'failed', 'passed']);
      else expect([key, r.status]).toEqual([key, status]);
    }
    expect(results.filter((r) => r.flaky).map((r) => keys.get(r.testCaseId))).toEqual([
      'test/flaky.test.js::talks to a slow service',
    ]);

    const done = completed.filter((e) => (e.payload as { executionId: string }).executionId === execution.id);
    expect(done).toHaveLength(1);
    expect(done[0].payload).toMatchObject({
      status: 'failed',
      progress: { total: direct.size, passed: direct.size - 1, failed: 1 },
    });
    const plan = (
      await platform.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM execution_shards WHERE execution_id = $1 AND status = 'done'`,
        [execution.id],
      )
    ).rows[0];
    expect(Number(plan.n)).toBe(2);

    // Output went to the docstore in batches, metrics to the embedded store, nodes are registered.
    await waitFor(
      async () => (await platform.docstore.queryLogs({ executionId: execution.id })).total > 0,
      10_000,
      'logs',
    );
    await platform.metrics.flush();
    const points = await platform.metrics.query({
      measurement: 'test_execution',
      from: new Date(Date.now() - 600_000),
      to: new Date(Date.now() + 1000),
      tags: { suite_id: suite.id },
    });
    expect(points.length).toBe(direct.size);
    for (const w of services.workers) {
      expect((await new NodeRepository(platform.db).get(w.id!))?.status).toBe('ACTIVE');
    }
  }, 180_000);
});
