import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, loadConfig, type Logger, type VerdictConfig } from '@verdict/config';
import { platformChecks, startHealthServer } from './health-server';
import type { Platform } from './platform';
import { runUntilSignal } from './run-until-signal';

/**
 * The life of one service process (distributed mode): config, logger, the service's own start,
 * /healthz and /readyz, graceful stop on SIGTERM, exit codes. `start` opens its platform and
 * returns it with the service's stop.
 */
export function runService(
  name: string,
  start: (
    config: VerdictConfig,
    log: Logger,
  ) => Promise<{
    platform: Platform;
    stop: () => Promise<void>;
    details?: Record<string, unknown>;
    /** Serves every request that is not a health check (the orchestrator's API). */
    app?: http.RequestListener;
  }>,
): void {
  const main = async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel, name);
    const service = await start(config, log);
    const server = await startHealthServer(
      platformChecks(service.platform),
      config.http.host,
      config.http.port,
      service.app,
    );
    log.info(
      { ...service.details, url: `http://${config.http.host}:${(server.address() as AddressInfo).port}` },
      `${name} running`,
    );
    await runUntilSignal(log, config.shutdownGraceMs, async () => {
      server.close();
      await service.stop();
      await service.platform.close();
    });
  };
  main().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(
        `${err.name === 'ConfigError' ? err.message : `${name} failed to start: ${err.message}`}\n`,
      );
      process.exit(1);
    },
  );
}
