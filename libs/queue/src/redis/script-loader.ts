import fs from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';

// beside the sources, or copied beside a bundled app (tools/build-app.mjs)
const COMMANDS_DIR =
  [path.join(__dirname, 'commands'), path.join(__dirname, 'redis-commands')].find((d) => fs.existsSync(d)) ??
  path.join(__dirname, 'commands');
export const QUEUE_COMMANDS = [
  'enqueue',
  'lease',
  'renew',
  'ack',
  'release',
  'fail',
  'reap',
  'release-worker',
  'cancel-execution',
] as const;
export type QueueCommand = (typeof QUEUE_COMMANDS)[number];

/** Registers each commands/*.lua (with _common.lua prepended) as an ioredis command (EVALSHA, reloaded on NOSCRIPT). */
export function loadQueueCommands(redis: Redis): void {
  const common = fs.readFileSync(path.join(COMMANDS_DIR, '_common.lua'), 'utf8');
  for (const name of QUEUE_COMMANDS) {
    const body = fs.readFileSync(path.join(COMMANDS_DIR, `${name}.lua`), 'utf8');
    redis.defineCommand(`verdict_${name.replace('-', '_')}`, { numberOfKeys: 0, lua: `${common}\n${body}` });
  }
}

export function runCommand(redis: Redis, name: QueueCommand, args: (string | number)[]): Promise<unknown> {
  const fn = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[
    `verdict_${name.replace('-', '_')}`
  ];
  return fn.apply(redis, args);
}
