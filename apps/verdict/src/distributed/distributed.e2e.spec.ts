import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import Redis from 'ioredis';
import {
  Migrator,
  NodeRepository,
  PostgresDatabase,
  ProjectRepository,
  seed,
  SuiteRepository,
  WorkspaceRepository,
} from '@verdict/db';
import { triggerExecution } from '@verdict/orchestrator';
import { createTestDatabase, serverUrl, uniqueName, waitFor } from '@verdict/testing';

const ROOT = path.resolve(__dirname, '../../../..');
const urls = { db: serverUrl('postgres'), redis: serverUrl('redis'), amqp: serverUrl('rabbitmq') };
const ready = urls.db && urls.redis && urls.amqp;

interface Proc {
  name: string;
  child: ChildProcess;
  logs: string[];
}

function startApp(app: string, name: string, env: Record<string, string>): Proc {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(ROOT, `apps/${app}/src/main.ts`)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const proc: Proc = { name, child, logs: [] };
  child.stdout!.on('data', (d) => proc.logs.push(String(d)));
  child.stderr!.on('data', (d) => proc.logs.push(String(d)));
  return proc;
}

const running = (p: Proc, msg: string) =>
  waitFor(() => p.logs.join('').includes(`"msg":"${msg}"`), 60_000, `${p.name} to start`);

// Four files of two slow tests each, in two shards: long enough to kill a worker mid-shard.
function slowProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-dist-'));
  fs.mkdirSync(path.join(dir, 'test'));
  for (let f = 0; f < 4; f++) {
    fs.writeFileSync(
      path.join(dir, `test/slow-${f}.test.js`),
      `const test = require('node:test');\nfor (let t = 0; t < 2; t++) test('step ' + t, () => new Promise((r) => setTimeout(r, 2500)));\n`,
    );
  }
  return dir;
}

(ready ? describe : describe.skip)(
  `distributed: orchestrator, ingestion and 2 workers as separate processes${ready ? '' : ' [skipped: needs PostgreSQL, Redis and RabbitMQ]'}`,
  () => {
    const procs: Proc[] = [];
    let drop: () => Promise<void>;
    let db: PostgresDatabase;
    const ns = uniqueName('dist').toLowerCase();

    afterAll(async () => {
      for (const p of procs) {
        p.child.kill('SIGKILL');
        if (process.env.VERDICT_E2E_LOGS)
          fs.writeFileSync(path.join(process.env.VERDICT_E2E_LOGS, `${p.name}.log`), p.logs.join(''));
      }
      await db?.close();
      await drop?.();
      const conn = await amqp.connect(urls.amqp!);
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      for (const q of ['orchestrator.plan', 'ingestion.results', 'ingestion.logs']) {
        for (const suffix of ['', '.parked', '.retry.1000', '.retry.5000', '.retry.30000'])
          await ch.deleteQueue(`${ns}.${q}${suffix}`).catch(() => undefined);
      }
      await conn.close().catch(() => undefined);
      const redis = new Redis(urls.redis!);
      const keys = await redis.keys(`${ns}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    it('completes an execution whose worker is SIGKILLed mid-shard: every test once, the dead node OFFLINE', async () => {
      const database = await createTestDatabase(urls.db!);
      drop = database.drop;
      const env = {
        DATABASE_URL: database.url,
        AMQP_URL: urls.amqp!,
        AMQP_NAMESPACE: `${ns}.`,
        REDIS_URL: urls.redis!,
        REDIS_PREFIX: `${ns}:`,
        PORT: '0',
        LOG_LEVEL: 'info',
        VERDICT_ADMIN_PASSWORD: 'distributed-e2e-password',
        VERDICT_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-dist-data-')),
        // Generous for a loaded CI machine, where a live node's heartbeats can come late.
        FLEET_OFFLINE_AFTER_MS: '5000',
        WORKER_HEARTBEAT_MS: '500',
        // Long leases: the shard must come back because the node went OFFLINE, not because a lease ran out.
        WORKER_LEASE_MS: '120000',
      };
      const orchestrator = startApp('orchestrator', 'orchestrator', env);
      procs.push(orchestrator);
      await running(orchestrator, 'orchestrator running');
      const ingestion = startApp('ingestion', 'ingestion', env);
      procs.push(ingestion);
      const workers = [1, 2].map((i) =>
        startApp('worker', `w${i}`, {
          ...env,
          WORKER_NAME: `w${i}`,
          WORKER_API_KEY: `${ns}-worker-key-${i}`,
        }),
      );
      procs.push(...workers);
      await Promise.all([
        running(ingestion, 'ingestion running'),
        ...workers.map((w) => running(w, 'worker running')),
      ]);

      db = await PostgresDatabase.connect({ url: database.url, connectRetries: 0 });
      await new Migrator(db).migrate();
      await seed(db, {
        admin: { username: 'admin', email: 'admin@example.com', password: 'distributed-e2e-password' },
      });
      const ws = (await new WorkspaceRepository(db).findBySlug('default'))!;
      const project = await new ProjectRepository(db).create({
        workspaceId: ws.id,
        name: 'Slow',
        slug: 'slow',
      });
      const suite = await new SuiteRepository(db).create({
        workspaceId: ws.id,
        projectId: project.id,
        name: 'slow',
        type: 'integration',
        run: {
          source: { type: 'local', path: slowProject() },
          command: 'node --test --test-reporter={reporter} --test-reporter-destination={report} {files}',
          reportFormat: 'node-test',
          env: {},
        },
        config: { shards: 2, retries: 0, timeout: 60_000 },
        selectors: { include: ['test/*.test.js'] },
      });
      const execution = await triggerExecution(db, {
        workspaceId: ws.id,
        suiteId: suite.id,
        trigger: { type: 'manual', source: 'distributed e2e' },
      });

      // Both shards running, one on each worker: kill the node that holds shard 0.
      let holders: { shard_index: number; name: string; node_id: string }[] = [];
      await waitFor(
        async () => {
          holders = (
            await db.query<{ shard_index: number; name: string; node_id: string }>(
              `SELECT s.shard_index, n.name, s.node_id FROM execution_shards s JOIN nodes n ON n.id = s.node_id WHERE s.execution_id = $1 AND s.status = 'running' ORDER BY 1`,
              [execution.id],
            )
          ).rows;
          return holders.length === 2;
        },
        60_000,
        'both shards running',
      );
      const victim = workers.find((w) => w.name === holders[0].name)!;
      victim.child.kill('SIGKILL');

      await waitFor(
        async () =>
          ['completed', 'failed'].includes(
            (
              await db.query<{ status: string }>('SELECT status FROM test_executions WHERE id = $1', [
                execution.id,
              ])
            ).rows[0].status,
          ),
        150_000,
        'the execution to end',
      );
      const { rows } = await db.query<{ status: string; n: number; distinct_cases: number }>(
        `SELECT e.status, (SELECT count(*)::int FROM test_results WHERE execution_id = e.id) AS n,
              (SELECT count(DISTINCT test_case_id)::int FROM test_results WHERE execution_id = e.id) AS distinct_cases
       FROM test_executions e WHERE e.id = $1`,
        [execution.id],
      );
      expect(rows[0]).toEqual({ status: 'completed', n: 8, distinct_cases: 8 });
      const passed = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM test_results WHERE execution_id = $1 AND status = 'passed'`,
        [execution.id],
      );
      expect(Number(passed.rows[0].n)).toBe(8);

      const dead = await new NodeRepository(db).get(holders[0].node_id);
      expect(dead?.status).toBe('OFFLINE');
      const events = (
        await new NodeRepository(db).lifecycleLogs({ nodeId: holders[0].node_id }, { limit: 100, offset: 0 })
      ).items;
      expect(events.map((e) => e.eventType)).toEqual(['REGISTERED', 'CAME_ONLINE', 'WENT_OFFLINE']);
      expect(events[2].reason).toMatch(/no heartbeat for \d+ s/);
      // The shard the dead node held was finished by the surviving node.
      const finished = await db.query<{ name: string }>(
        `SELECT n.name FROM execution_shards s JOIN nodes n ON n.id = s.node_id WHERE s.execution_id = $1 AND s.shard_index = $2`,
        [execution.id, holders[0].shard_index],
      );
      expect(finished.rows[0].name).toBe(holders[1].name);
    }, 300_000);
  },
);
