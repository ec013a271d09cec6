import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { childProcessEnv, createLogger, loadConfig } from '@verdict/config';
import { Migrator, seed } from '@verdict/db';
import { createPlatformApi } from '@verdict/orchestrator';
import { startServices } from './all-in-one';
import { openPlatform, platformChecks, runUntilSignal, startHealthServer } from '@verdict/platform';

/**
 * `verdict start`: the all-in-one process. Opens every port's adapter (embedded unless URLs are
 * given), migrates and seeds the database, serves health endpoints, and shuts down gracefully.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Run Verdict in one process (embedded adapters unless DATABASE_URL, AMQP_URL, REDIS_URL, MONGO_URL or INFLUX_URL are set)',
    )
    .option('--port <port>', 'HTTP port (overrides PORT)')
    .option('--mock-port <port>', "the stub manager's port (overrides MOCK_PORT, default 8081)")
    .action(async (opts: { port?: string; mockPort?: string }) => {
      const config = loadConfig();
      const port = (name: string, v: string) => {
        if (!/^\d+$/.test(v) || Number(v) > 65535)
          throw new Error(`${name} expects a port number from 0 to 65535, got "${v}"`);
        return Number(v);
      };
      if (opts.port !== undefined) config.http.port = port('--port', opts.port);
      if (opts.mockPort !== undefined) config.mockServer.port = port('--mock-port', opts.mockPort);
      const log = createLogger(config.logLevel);
      const platform = await openPlatform(config, log);
      const applied = await new Migrator(platform.db).migrate();
      if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
      const seeded = await seed(platform.db, config);
      if (seeded.created.length) log.info({ created: seeded.created }, 'database seeded');
      if (seeded.generatedAdminPassword) {
        log.warn(
          `admin password (shown once, stored hashed): ${seeded.generatedAdminPassword}; set VERDICT_ADMIN_PASSWORD to choose it`,
        );
      }
      const services = await startServices(platform, log, childProcessEnv());
      const api = createPlatformApi(platform, log, services.access);
      const server = await startHealthServer(
        platformChecks(platform),
        config.http.host,
        config.http.port,
        api,
      );
      const { port: listening } = server.address() as AddressInfo;
      log.info(
        {
          url: `http://${config.http.host}:${listening}`,
          api: `http://${config.http.host}:${listening}/api/v1`,
          mocks: services.mockUrl,
          dataDir: config.dataDir,
        },
        'Verdict is running',
      );

      await runUntilSignal(log, config.shutdownGraceMs, async () => {
        server.close();
        await services.stop(config.shutdownGraceMs);
        await platform.close();
      });
    });
}
