import { Migrator } from '@verdict/db';
import { openPlatform, runService } from '@verdict/platform';
import { startNotifier } from './notifier';

/** The notifier as its own process (distributed mode). */
runService('notifier', async (config, log) => {
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const notifier = await startNotifier(
    { db: platform.db, bus: platform.bus, log, metrics: platform.metrics },
    { smtp: config.notifications.smtp, backoffMs: config.notifications.backoffMs },
  );
  return { platform, stop: () => notifier.stop() };
});
