import type { AddressInfo } from 'node:net';
import { createLogger, loadConfig } from '@verdict/config';
import { Migrator, seed } from '@verdict/db';
import { openPlatform, platformChecks, runUntilSignal, startHealthServer } from '@verdict/platform';
import { startOrchestrator } from './orchestrator';

/** The orchestrator as its own process (distributed mode). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'orchestrator');
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const seeded = await seed(platform.db, config);
  if (seeded.generatedAdminPassword)
    log.warn(`admin password (shown once, stored hashed): ${seeded.generatedAdminPassword}`);
  const orchestrator = await startOrchestrator({
    db: platform.db,
    bus: platform.bus,
    queue: platform.coordination.queue,
    locks: platform.coordination.locks,
    log,
    offlineAfterMs: config.fleet.offlineAfterMs,
  });
  const server = await startHealthServer(platformChecks(platform), config.http.host, config.http.port);
  log.info(
    { url: `http://${config.http.host}:${(server.address() as AddressInfo).port}` },
    'orchestrator running',
  );
  await runUntilSignal(log, config.shutdownGraceMs, async () => {
    server.close();
    await orchestrator.stop();
    await platform.close();
  });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(
      `${err.name === 'ConfigError' ? err.message : `orchestrator failed to start: ${err.message}`}\n`,
    );
    process.exit(1);
  },
);
