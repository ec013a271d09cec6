import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadCliConfig } from '@verdict/config';
import {
  Name,
  ScenarioAction,
  type Page,
  type Scenario,
  type ScenarioReport,
  type ScenarioResult,
} from '@verdict/contracts';
import { ApiClient } from '../client/api-client';
import { tokenFor } from '../client/credentials';
import { printTable, type Output } from '../output';

/** A scenario file: JSON or YAML with the scenario's name, description and ordered actions. */
const ScenarioFile = z.strictObject({
  name: Name,
  description: z.string().max(2000).nullable().default(null),
  actions: z.array(ScenarioAction).min(1, 'a scenario file needs at least one action'),
});

type Run = ScenarioReport['runs'][number];

function readScenarioFile(file: string): z.output<typeof ScenarioFile> {
  const text = fs.readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const parsed = ScenarioFile.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: ${i.path.join('.') || 'the file'}: ${i.message}`);
  }
  return parsed.data;
}

/** A run that never started: one result carrying the reason, so the report still names the file. */
function notStarted(ref: string, file: string | null, error: Error): Run {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    scenarioId: '00000000-0000-4000-8000-000000000000',
    scenarioName: file ? path.basename(file).replace(/\.(json|ya?ml)$/i, '') : ref,
    status: 'FAILED',
    results: [],
    durationMs: 0,
    errorMessage: error.message,
    executedAt: new Date().toISOString(),
    executionId: null,
    file,
  };
}

function formatRun(r: Run): string {
  const lines = [
    `${r.status.padEnd(7)} ${r.scenarioName} (${r.durationMs} ms)${r.file ? `  ${r.file}` : ''}`,
  ];
  for (const a of r.results)
    lines.push(
      `  ${a.status === 'passed' ? '✓' : a.status === 'failed' ? '✗' : '-'} ${a.order}. ${a.name}${a.error ? ` — ${a.error}` : ''}`,
    );
  if (!r.results.length && r.errorMessage) lines.push(`  ✗ ${r.errorMessage}`);
  return lines.join('\n');
}

/** `verdict scenario run|list`: the stub manager's action scenarios from the command line, and as a suite's command. */
export function registerScenarioCommands(program: Command, out: Output): void {
  const client = (opts: { mockServer?: string }) => {
    const config = loadCliConfig();
    const url = (opts.mockServer ?? config.mockUrl).replace(/\/+$/, '');
    return new ApiClient(
      url,
      program.opts<{ workspace?: string }>().workspace ?? config.workspace,
      "start it with `npm start`, or give the stub manager's address with --mock-server or VERDICT_MOCK_URL",
      // The stub manager takes the main server's credentials.
      tokenFor(config, url, program.opts<{ apiKey?: string }>().apiKey) ?? tokenFor(config, config.url),
    );
  };
  const scenario = program.command('scenario').description("The stub manager's action scenarios");
  scenario
    .command('run <scenarios...>')
    .description(
      'Run scenarios: files (JSON or YAML: name, description, actions; created or replaced on the server first) or names of scenarios on the server. Exits 1 unless every run succeeded. As a suite: command "verdict scenario run {files} --report {report}", report format "scenario"',
    )
    .option(
      '--report <file>',
      'write the runs as a "scenario" report (what a suite of report format scenario reads)',
    )
    .option('--mock-server <url>', 'stub manager address (default VERDICT_MOCK_URL or http://127.0.0.1:8081)')
    .option('--execution <id>', 'the Verdict execution these runs belong to (default VERDICT_EXECUTION_ID)')
    .action(async (refs: string[], opts: { report?: string; mockServer?: string; execution?: string }) => {
      const api = client(opts);
      const executionId = opts.execution ?? loadCliConfig().executionId ?? null;
      const runs: Run[] = [];
      for (const ref of refs) {
        const isFile = /\.(json|ya?ml)$/i.test(ref) || fs.existsSync(ref);
        try {
          let target: Scenario;
          if (isFile) {
            const def = readScenarioFile(ref);
            target = await api.request<Scenario>(
              'PUT',
              `/scenarios/by-name/${encodeURIComponent(def.name)}`,
              {
                description: def.description,
                actions: def.actions,
              },
            );
          } else {
            const page = await api.request<Page<Scenario>>(
              'GET',
              `/scenarios?name=${encodeURIComponent(ref)}`,
            );
            if (!page.items[0])
              throw new Error(`no scenario named "${ref}" on ${api.baseUrl} (nor a file of that name)`);
            target = page.items[0];
          }
          const result = await api.request<ScenarioResult>('POST', `/scenarios/${target.id}/runs`, {
            executionId,
          });
          runs.push({ ...result, file: isFile ? ref : null });
        } catch (error) {
          runs.push(notStarted(ref, isFile ? ref : null, error as Error));
        }
      }
      const report: ScenarioReport = { format: 'verdict-scenario', runs };
      if (opts.report) fs.writeFileSync(opts.report, JSON.stringify(report, null, 2));
      out.result(report, () => runs.map(formatRun).join('\n'));
      if (runs.some((r) => r.status !== 'SUCCESS')) process.exitCode = 1;
    });
  scenario
    .command('list')
    .description('List the scenarios on the stub manager')
    .option('--mock-server <url>', 'stub manager address (default VERDICT_MOCK_URL or http://127.0.0.1:8081)')
    .action(async (opts: { mockServer?: string }) => {
      const items = await client(opts).all<Scenario>('/scenarios');
      out.result(items, () =>
        printTable(
          ['NAME', 'STATUS', 'ACTIONS', 'ID'],
          items.map((s) => [s.name, s.status, String(s.actions.length), s.id]),
        ),
      );
    });
}
