import { Migrator } from '@verdict/db';
import { openPlatform, runService } from '@verdict/platform';
import { startIngestion } from './ingestion';

/** Ingestion as its own process (distributed mode); run as many replicas as needed. */
runService('ingestion', async (config, log) => {
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const { db, bus, docstore, metrics } = platform;
  const ingestion = await startIngestion({
    db,
    bus,
    docstore,
    metrics,
    cache: platform.coordination.cache,
    log,
  });
  return { platform, stop: () => ingestion.stop() };
});
