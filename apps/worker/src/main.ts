import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { childProcessEnv, createLogger, loadConfig } from '@verdict/config';
import { openPlatform, platformChecks, runUntilSignal, startHealthServer } from '@verdict/platform';
import { WorkerAgent } from './agent/worker-agent';

/** One worker node as its own process (distributed mode); scale by running more. */
async function main(): Promise<void> {
  const config = loadConfig();
  const name = config.workers.name ?? `${os.hostname()}-${process.pid}`;
  const log = createLogger(config.logLevel, 'worker').child({ worker: name });
  if (!config.workers.apiKey)
    log.warn('WORKER_API_KEY is not set: this node registers under a key derived from its name');
  const platform = await openPlatform(config, log);
  const worker = new WorkerAgent(
    { db: platform.db, bus: platform.bus, queue: platform.coordination.queue, log },
    {
      name,
      pool: config.workers.pool,
      apiKey: config.workers.apiKey ?? `node:${name}`,
      labels: { host: os.hostname() },
      leaseMs: config.workers.leaseMs,
      heartbeatMs: config.workers.heartbeatMs,
      workDir: path.join(config.dataDir, 'work', name),
      baseEnv: childProcessEnv(),
    },
  );
  await worker.start();
  const server = await startHealthServer(platformChecks(platform), config.http.host, config.http.port);
  log.info(
    { nodeId: worker.id, url: `http://${config.http.host}:${(server.address() as AddressInfo).port}` },
    'worker running',
  );
  await runUntilSignal(log, config.shutdownGraceMs, async () => {
    server.close();
    await worker.stop(config.shutdownGraceMs);
    await platform.close();
  });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(
      `${err.name === 'ConfigError' ? err.message : `worker failed to start: ${err.message}`}\n`,
    );
    process.exit(1);
  },
);
