#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from '@verdict/config';
import { registerDbCommands } from './db-commands/db-commands';
import { registerDemoCommand } from './demo/demo-command';
import { registerAuthCommands } from './auth/auth-commands';
import { registerRunCommands } from './run/run-commands';
import { registerScenarioCommands } from './scenario/scenario-commands';
import { createOutput } from './output';
import { registerStartCommand } from './start/start-command';

const json = process.argv.includes('--json');
const out = createOutput(json);
const program = new Command()
  .name('verdict')
  .description('Verdict: self-hosted test orchestration')
  .option('--json', 'print machine-readable JSON')
  .showHelpAfterError()
  .exitOverride();

registerStartCommand(program);
registerDbCommands(program, out);
registerDemoCommand(program, out);
registerRunCommands(program, out);
registerAuthCommands(program, out);
registerScenarioCommands(program, out);

program
  .parseAsync(process.argv)
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    const e = error as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) process.exit(e.exitCode ?? 1);
    const message = error instanceof ConfigError ? error.message : `Error: ${e.message}`;
    if (json) process.stderr.write(JSON.stringify({ error: e.name, message: e.message }) + '\n');
    else process.stderr.write(message + '\n');
    process.exit(1);
  });
