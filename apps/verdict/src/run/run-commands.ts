import fs from 'node:fs';
import type { Command } from 'commander';
import { loadCliConfig } from '@verdict/config';
import { TERMINAL_EXECUTION_STATUSES, type Page, type TestExecution } from '@verdict/contracts';
import { ApiClient, type ExecutionDetail, type ResultWithTest } from '../client/api-client';
import { tokenFor } from '../client/credentials';
import { printTable, type Output } from '../output';
import { formatSummary, progressLine, summarize } from './run-summary';

const int = (name: string, min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new Error(`${name} expects a whole number from ${min} to ${max}, got "${v}"`);
  return Number(v);
};

export function client(program: Command): ApiClient {
  const config = loadCliConfig();
  const opts = program.opts<{ server?: string; workspace?: string; apiKey?: string }>();
  const server = (opts.server ?? config.url).replace(/\/+$/, '');
  return new ApiClient(
    server,
    opts.workspace ?? config.workspace,
    undefined,
    tokenFor(config, server, opts.apiKey),
  );
}

/** The report's new failures (tests that passed in the previous run of the suite on the branch), once the reporter has built it. */
async function newFailuresOf(api: ApiClient, id: string): Promise<string[] | null> {
  for (let i = 0; i < 20; i++) {
    try {
      const report = await api.request<{ extra: { newFailures?: string[] } }>(
        'GET',
        `/executions/${id}/report?format=json`,
      );
      return report.extra.newFailures ?? [];
    } catch (error) {
      if ((error as { status?: number }).status !== 409) return null;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return null;
}

/** Polls until the execution ends, drawing progress on a terminal (a line per change otherwise). */
async function follow(
  api: ApiClient,
  id: string,
  opts: { timeoutMs: number; quiet: boolean },
): Promise<ExecutionDetail> {
  const tty = process.stderr.isTTY;
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  for (;;) {
    const e = await api.request<ExecutionDetail>('GET', `/executions/${id}`);
    const line = progressLine(e);
    if (!opts.quiet && line !== last) process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    last = line;
    if (TERMINAL_EXECUTION_STATUSES.includes(e.status)) {
      if (!opts.quiet && tty) process.stderr.write('\n');
      return e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `execution ${id} is still ${e.status} after ${opts.timeoutMs / 1000} s; it goes on on the server (verdict cancel ${id} stops it)`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `verdict run`, `verdict executions`, `verdict cancel`: a server's runs from the command line. */
export function registerRunCommands(program: Command, out: Output): void {
  program
    .option('--server <url>', 'Verdict server address (default VERDICT_URL or http://127.0.0.1:8080)')
    .option('--workspace <slug>', 'act in this workspace (default VERDICT_WORKSPACE or "default")')
    .option(
      '--api-key <key>',
      'API key or session token (default VERDICT_API_KEY, or what `verdict login` saved)',
    );

  program
    .command('run <suite>')
    .description(
      'Run a suite (its id, or "project/suite") and wait for the outcome; exits 1 unless every test passed',
    )
    .option('--branch <name>', 'branch the run is for')
    .option('--commit <sha>', "commit to run (git sources; default: the head of the suite's ref)")
    .option('--retries <n>', "re-runs of failed tests (overrides the suite's)", int('--retries', 0, 10))
    .option('--priority <n>', "0 (lowest) to 9 (overrides the suite's)", int('--priority', 0, 9))
    .option('--no-wait', 'start the run and print its id without waiting')
    .option('--timeout <seconds>', 'stop waiting after this long', int('--timeout', 1, 86_400), 3600)
    .action(
      async (
        ref: string,
        opts: {
          branch?: string;
          commit?: string;
          retries?: number;
          priority?: number;
          wait: boolean;
          timeout: number;
        },
      ) => {
        const api = client(program);
        const suite = await api.findSuite(ref);
        const started = await api.request<TestExecution>('POST', `/suites/${suite.id}/executions`, {
          source: 'verdict cli',
          branch: opts.branch,
          commit: opts.commit,
          retries: opts.retries,
          priority: opts.priority,
        });
        if (!opts.wait)
          return out.result({ executionId: started.id, status: started.status }, () => started.id);
        if (!out.json) process.stderr.write(`execution ${started.id}: ${suite.name}\n`);
        const onInterrupt = () => {
          process.stderr.write(
            `\nstopped waiting; the run goes on (verdict cancel ${started.id} stops it)\n`,
          );
          process.exit(130);
        };
        process.once('SIGINT', onInterrupt);
        const done = await follow(api, started.id, { timeoutMs: opts.timeout * 1000, quiet: out.json });
        process.off('SIGINT', onInterrupt);
        const results = await api.all<ResultWithTest>(`/executions/${done.id}/results`);
        const summary = {
          ...summarize(done, results),
          newFailures: await newFailuresOf(api, done.id),
          report: `${api.baseUrl}/api/v1/executions/${done.id}/report?format=html`,
        };
        out.result(summary, () => formatSummary(summary));
        if (done.status !== 'completed') process.exitCode = 1;
      },
    );

  program
    .command('executions')
    .description('List executions, newest first')
    .option('--suite <suite>', 'only this suite (id or "project/suite")')
    .option(
      '--status <list>',
      'only these statuses, comma-separated (queued,running,completed,failed,cancelled)',
    )
    .option('--branch <name>', 'only this branch')
    .option('--limit <n>', 'how many', int('--limit', 1, 1000), 20)
    .action(async (opts: { suite?: string; status?: string; branch?: string; limit: number }) => {
      const api = client(program);
      const q = new URLSearchParams({ limit: String(opts.limit) });
      if (opts.suite) q.set('suiteId', (await api.findSuite(opts.suite)).id);
      if (opts.status) q.set('status', opts.status);
      if (opts.branch) q.set('branch', opts.branch);
      const page = await api.request<Page<TestExecution>>('GET', `/executions?${q}`);
      out.result(page, () =>
        page.items.length
          ? printTable(
              ['id', 'status', 'branch', 'trigger', 'passed', 'failed', 'total', 'queued at', 'duration'],
              page.items.map((e) => [
                e.id,
                e.status,
                e.trigger.branch ?? '',
                e.trigger.type,
                String(e.progress.passed),
                String(e.progress.failed),
                String(e.progress.total),
                e.timing.queuedAt,
                e.timing.duration === null ? '' : `${(e.timing.duration / 1000).toFixed(1)} s`,
              ]),
            ) + `\n${page.items.length} of ${page.total}`
          : 'no executions',
      );
    });

  program
    .command('report <execution>')
    .description(
      "An ended run's report: a text summary, or --format json, html or junit (to --output FILE, else stdout)",
    )
    .option('--format <format>', 'text, json, html or junit', 'text')
    .option('--output <file>', 'write it to this file')
    .action(async (id: string, opts: { format: string; output?: string }) => {
      if (!['text', 'json', 'html', 'junit'].includes(opts.format))
        throw new Error(`--format is text, json, html or junit, not "${opts.format}"`);
      const api = client(program);
      const wanted = opts.format === 'text' ? 'json' : opts.format;
      const body = await api.request<unknown>('GET', `/executions/${id}/report?format=${wanted}`);
      const content =
        opts.format === 'text'
          ? formatReport(body as ReportView)
          : typeof body === 'string'
            ? body
            : JSON.stringify(body, null, 2);
      if (opts.output) {
        fs.writeFileSync(opts.output, content);
        out.result(
          { executionId: id, format: opts.format, output: opts.output, bytes: Buffer.byteLength(content) },
          () => `wrote the ${opts.format} report of ${id} to ${opts.output}`,
        );
      } else if (out.json && opts.format === 'text') out.result(body, () => '');
      else process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    });

  program
    .command('cancel <execution>')
    .description('Cancel an execution: queued shards are dropped, running ones are killed')
    .option('--reason <text>', 'why, kept with the execution', 'cancelled from the CLI')
    .action(async (id: string, opts: { reason: string }) => {
      const api = client(program);
      const e = await api.request<ExecutionDetail & { removedJobs: number; stoppingJobs: number }>(
        'POST',
        `/executions/${id}/cancel`,
        { reason: opts.reason },
      );
      out.result(
        e,
        () =>
          `cancelled ${e.id}: ${e.removedJobs} queued shard(s) dropped, ${e.stoppingJobs} running shard(s) stopping`,
      );
    });
}

interface ReportView {
  executionId: string;
  summary: {
    total: number;
    passed: number;
    failed: number;
    skipped: number;
    duration: number;
    passRate: number;
  };
  details: { failures: { test: string; error: string }[] };
  extra: {
    newFailures?: string[];
    fixed?: string[];
    flaky?: { key: string; reason: string }[];
    execution?: { status?: string };
  };
}

/** A report as text: the counts, failures, what is new, fixed and flaky. */
export function formatReport(r: ReportView): string {
  const s = r.summary;
  const list = (title: string, items: string[] | undefined) =>
    items?.length ? [`${title} (${items.length}):`, ...items.slice(0, 50).map((i) => `  ${i}`)] : [];
  return [
    `execution ${r.executionId}: ${r.extra.execution?.status ?? ''} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${s.total} (pass rate ${(s.passRate * 100).toFixed(1)}%, ${(s.duration / 1000).toFixed(1)} s)`,
    ...list(
      'failures',
      r.details.failures.map((f) => `✗ ${f.test}: ${f.error.replace(/\s+/g, ' ').slice(0, 160)}`),
    ),
    ...list('new failures', r.extra.newFailures),
    ...list('fixed', r.extra.fixed),
    ...list(
      'flaky',
      r.extra.flaky?.map((f) => `${f.key} (${f.reason})`),
    ),
  ].join('\n');
}
