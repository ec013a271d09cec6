import { accessControlFor } from '@verdict/auth';
import { Migrator } from '@verdict/db';
import { openPlatform, runService } from '@verdict/platform';
import { startMockServer } from './mock-server';

/** The stub manager as its own process (distributed mode): admin API and mock traffic on PORT. */
runService('mock-server', async (config, log) => {
  const platform = await openPlatform(config, log);
  await new Migrator(platform.db).migrate();
  const server = await startMockServer(
    {
      db: platform.db,
      docstore: platform.docstore,
      bus: platform.bus,
      metrics: platform.metrics,
      log,
      access: accessControlFor(platform, log),
    },
    {
      host: config.http.host,
      journalFlushMs: config.mockServer.journalFlushMs,
      maxAttempts: config.notifications.maxAttempts,
    },
  );
  server.setTrafficUrl(`http://127.0.0.1:${config.http.port}`);
  return { platform, stop: () => server.stop(), app: server.handler };
});
