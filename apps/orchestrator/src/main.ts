import { Migrator, seed } from '@verdict/db';
import { openPlatform, runService } from '@verdict/platform';
import { createPlatformApi } from './api/api';
import { startOrchestrator } from './orchestrator';

/** The orchestrator as its own process (distributed mode). */
runService('orchestrator', async (config, log) => {
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const seeded = await seed(platform.db, config);
  if (seeded.generatedAdminPassword)
    log.warn(`admin password (shown once, stored hashed): ${seeded.generatedAdminPassword}`);
  const { queue, locks } = platform.coordination;
  const orchestrator = await startOrchestrator({
    db: platform.db,
    bus: platform.bus,
    queue,
    locks,
    log,
    offlineAfterMs: config.fleet.offlineAfterMs,
    dataDir: config.dataDir,
    metrics: platform.metrics,
  });
  const app = createPlatformApi(platform, log);
  return { platform, stop: () => orchestrator.stop(), app };
});
