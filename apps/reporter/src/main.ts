import { Migrator } from '@verdict/db';
import { openPlatform, runService } from '@verdict/platform';
import { startReporter } from './reporter';

/** The reporter as its own process (distributed mode). */
runService('reporter', async (config, log) => {
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const reporter = await startReporter({
    db: platform.db,
    bus: platform.bus,
    docstore: platform.docstore,
    log,
    notifications: config.notifications,
  });
  return { platform, stop: () => reporter.stop() };
});
