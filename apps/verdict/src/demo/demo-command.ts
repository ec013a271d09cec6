import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { childProcessEnv, createLogger, loadConfig } from '@verdict/config';
import { TERMINAL_EXECUTION_STATUSES, type TestExecution } from '@verdict/contracts';
import {
  ExecutionRepository,
  Migrator,
  ProjectRepository,
  ResultRepository,
  seed,
  SuiteRepository,
  WorkspaceRepository,
  type SqlDatabase,
} from '@verdict/db';
import { triggerExecution } from '@verdict/orchestrator';
import type { Output } from '../output';
import { openPlatform } from '@verdict/platform';
import { formatSummary, summarize } from '../run/run-summary';
import { startServices } from '../start/all-in-one';

/** examples/sample-project, found upwards from this file (sources) or from the bundle's folder. */
export const SAMPLE_PROJECT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'examples/sample-project');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve('examples/sample-project');
  }
})();

/** The sample project and its suite in the default workspace, created once. */
export async function ensureSampleSuite(db: SqlDatabase) {
  const ws = await new WorkspaceRepository(db).findBySlug('default');
  if (!ws) throw new Error('the default workspace is missing: run `verdict db seed`');
  const projects = new ProjectRepository(db);
  const project =
    (await projects.findBySlug(ws.id, 'sample')) ??
    (await projects.create({
      workspaceId: ws.id,
      name: 'Sample project',
      slug: 'sample',
      description: 'examples/sample-project',
    }));
  const suites = new SuiteRepository(db);
  const suite =
    (await suites.findByName(project.id, 'unit')) ??
    (await suites.create({
      workspaceId: ws.id,
      projectId: project.id,
      name: 'unit',
      type: 'unit',
      run: {
        source: { type: 'local', path: SAMPLE_PROJECT },
        command: 'node --test --test-reporter={reporter} --test-reporter-destination={report} {files}',
        reportFormat: 'node-test',
        env: {},
      },
      config: { shards: 2, maxWorkers: 2, retries: 1, timeout: 120_000 },
      selectors: { include: ['test/**/*.test.js'] },
    }));
  return { ws, project, suite };
}

async function waitForEnd(
  db: SqlDatabase,
  id: string,
  timeoutMs: number,
  onTick: (e: TestExecution) => void,
): Promise<TestExecution> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = (await new ExecutionRepository(db).get(id))!;
    onTick(e);
    if (TERMINAL_EXECUTION_STATUSES.includes(e.status)) return e;
    if (Date.now() > deadline)
      throw new Error(`execution ${id} did not finish in ${timeoutMs / 1000} s (status ${e.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `verdict demo`: the sample project's suite run across 2 workers in this process, then a summary. */
export function registerDemoCommand(program: Command, out: Output): void {
  program
    .command('demo')
    .description(
      'Run the sample project (examples/sample-project) across 2 in-process workers and print the summary',
    )
    .action(async () => {
      const config = loadConfig();
      config.workers.count = Math.max(2, config.workers.count);
      const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      const platform = await openPlatform(config, log);
      await new Migrator(platform.db).migrate();
      await seed(platform.db, config);
      const services = await startServices(platform, log, childProcessEnv());
      try {
        const { ws, suite } = await ensureSampleSuite(platform.db);
        const execution = await triggerExecution(platform.db, {
          workspaceId: ws.id,
          suiteId: suite.id,
          trigger: { type: 'manual', source: 'verdict demo' },
        });
        services.orchestrator.relay.nudge();
        if (!out.json)
          process.stdout.write(
            `execution ${execution.id}: ${suite.name} of examples/sample-project on ${config.workers.count} workers\n`,
          );
        let last = '';
        const done = await waitForEnd(platform.db, execution.id, 300_000, (e) => {
          const line = `  ${e.status}: ${e.progress.completed} results (${e.progress.passed} passed, ${e.progress.failed} failed, ${e.progress.skipped} skipped)`;
          if (line !== last && !out.json) process.stdout.write(line + '\n');
          last = line;
        });
        const all = (
          await new ResultRepository(platform.db).list({ executionId: done.id }, { limit: 1000, offset: 0 })
        ).items;
        const summary = summarize(done, all);
        out.result(summary, () => `\n${formatSummary(summary)}`);
      } finally {
        await services.stop(5000);
        await platform.close();
      }
    });
}
