import type { AddressInfo } from 'node:net';
import { createLogger, loadConfig } from '@verdict/config';
import { Migrator } from '@verdict/db';
import { openPlatform, platformChecks, runUntilSignal, startHealthServer } from '@verdict/platform';
import { startIngestion } from './ingestion';

/** Ingestion as its own process (distributed mode); run as many replicas as needed. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'ingestion');
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const ingestion = await startIngestion({
    db: platform.db,
    bus: platform.bus,
    docstore: platform.docstore,
    metrics: platform.metrics,
    cache: platform.coordination.cache,
    log,
  });
  const server = await startHealthServer(platformChecks(platform), config.http.host, config.http.port);
  log.info(
    { url: `http://${config.http.host}:${(server.address() as AddressInfo).port}` },
    'ingestion running',
  );
  await runUntilSignal(log, config.shutdownGraceMs, async () => {
    server.close();
    await ingestion.stop();
    await platform.close();
  });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(
      `${err.name === 'ConfigError' ? err.message : `ingestion failed to start: ${err.message}`}\n`,
    );
    process.exit(1);
  },
);
