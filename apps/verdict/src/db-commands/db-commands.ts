import type { Command } from 'commander';
import { loadConfig, createLogger } from '@verdict/config';
import { cleanupExpired, loadRetentionPolicy, Migrator, seed, type SqlDatabase } from '@verdict/db';
import { openDatabaseLogged, openPlatform } from '@verdict/platform';
import { printTable, type Output } from '../output';

async function withDatabase<T>(out: Output, fn: (db: SqlDatabase) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabaseLogged(config, createLogger(out.json ? 'silent' : 'warn', 'verdict-db'));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const version = (v: string) => {
  if (!/^\d+$/.test(v)) throw new Error(`--to expects a migration number such as 3, got "${v}"`);
  return Number(v);
};

/** `verdict db migrate | status | rollback [--to N] | reset | seed` */
export function registerDbCommands(program: Command, out: Output): void {
  const db = program.command('db').description('Manage the relational database: migrations and seed data');

  db.command('migrate')
    .description('Apply pending migrations in order')
    .option('--to <version>', 'stop after this migration number', version)
    .action((opts: { to?: number }) =>
      withDatabase(out, async (d) => {
        const applied = await new Migrator(d).migrate({ to: opts.to });
        out.result({ applied: applied.map((m) => ({ version: m.version, name: m.name })) }, () =>
          applied.length
            ? applied.map((m) => `applied ${pad(m.version)}_${m.name}`).join('\n')
            : 'nothing to apply: the database is up to date',
        );
      }),
    );

  db.command('status')
    .description('List migrations and whether each is applied')
    .action(() =>
      withDatabase(out, async (d) => {
        const rows = await new Migrator(d).status();
        out.result({ migrations: rows }, () =>
          printTable(
            ['version', 'name', 'applied', 'applied at', 'checksum'],
            rows.map((r) => [
              pad(r.version),
              r.name,
              r.applied ? 'yes' : 'no',
              r.appliedAt?.toISOString() ?? '',
              r.checksumMatches === false ? 'EDITED' : r.applied ? 'ok' : '',
            ]),
          ),
        );
      }),
    );

  db.command('rollback')
    .description('Revert the last migration, or every migration above --to')
    .option('--to <version>', 'revert down to this migration number (0 reverts all)', version)
    .action((opts: { to?: number }) =>
      withDatabase(out, async (d) => {
        const reverted = await new Migrator(d).rollback({ to: opts.to });
        out.result({ reverted: reverted.map((m) => ({ version: m.version, name: m.name })) }, () =>
          reverted.length
            ? reverted.map((m) => `reverted ${pad(m.version)}_${m.name}`).join('\n')
            : 'nothing to revert',
        );
      }),
    );

  db.command('reset')
    .description('Drop everything, migrate from scratch and seed (destroys all data)')
    .option('--yes', 'confirm that all data may be destroyed')
    .action((opts: { yes?: boolean }) => {
      if (!opts.yes) throw new Error('reset destroys every table and row. Run again with --yes to confirm.');
      return withDatabase(out, async (d) => {
        const applied = await new Migrator(d).reset();
        const seeded = await seed(d, loadConfig());
        out.result({ applied: applied.length, seeded }, () =>
          [`reset: applied ${applied.length} migrations`, ...describeSeed(seeded)].join('\n'),
        );
      });
    });

  registerCleanup(db, out);

  db.command('seed')
    .description('Create roles, settings, the admin user and the default workspace if missing (idempotent)')
    .action(() =>
      withDatabase(out, async (d) => {
        const seeded = await seed(d, loadConfig());
        out.result(seeded, () => describeSeed(seeded).join('\n'));
      }),
    );
}

/** `verdict db cleanup`: the retention policy applied once, under a lock (one cleaner at a time). */
function registerCleanup(db: Command, out: Output): void {
  db.command('cleanup')
    .description(
      'Delete what the retention policy no longer keeps: ended executions and their results (failures kept longer), logs, raw metrics',
    )
    .option(
      '--days <n>',
      'keep this many days instead of the default periods (never shortens those of failures)',
      (v) => {
        if (!/^\d+$/.test(v) || Number(v) < 1)
          throw new Error(`--days expects a number of days from 1, got "${v}"`);
        return Number(v);
      },
    )
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .action(async (opts: { days?: number; dryRun?: boolean }) => {
      const config = loadConfig();
      const platform = await openPlatform(config, createLogger(out.json ? 'silent' : 'warn', 'verdict-db'));
      try {
        const outcome = await platform.coordination.locks.withLock(
          'retention-cleanup',
          async () => {
            const policy = await loadRetentionPolicy(platform.db, opts.days);
            const deleted = await cleanupExpired(platform.db, policy, { dryRun: opts.dryRun });
            const documents = opts.dryRun
              ? { logs: 0, reports: 0, mockRequests: 0 }
              : await platform.docstore.purgeExpired();
            return { policy, deleted: { ...deleted, ...documents }, dryRun: Boolean(opts.dryRun) };
          },
          { ttlMs: 60_000, waitMs: 5_000 },
        );
        out.result(outcome, () =>
          [
            `${outcome.dryRun ? 'would delete' : 'deleted'}: ${Object.entries(outcome.deleted)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ')}`,
            `policy (days): executions ${outcome.policy.executionsDays} (failed ${outcome.policy.failedExecutionsDays}), results ${outcome.policy.resultsDays} (failed ${outcome.policy.failedResultsDays}), metrics ${outcome.policy.metricsDays}`,
          ].join('\n'),
        );
      } finally {
        await platform.close();
      }
    });
}

export function describeSeed(s: Awaited<ReturnType<typeof seed>>): string[] {
  const lines = s.created.length
    ? s.created.map((c) => `created ${c}`)
    : ['nothing to seed: everything exists'];
  if (s.generatedAdminPassword) {
    lines.push(`admin password (shown once, stored hashed): ${s.generatedAdminPassword}`);
  }
  return lines;
}

const pad = (v: number) => String(v).padStart(4, '0');
