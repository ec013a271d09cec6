import os from 'node:os';
import path from 'node:path';
import { childProcessEnv } from '@verdict/config';
import { openPlatform, runService } from '@verdict/platform';
import { WorkerAgent } from './agent/worker-agent';

/** One worker node as its own process (distributed mode); scale by running more. */
runService('worker', async (config, log) => {
  const name = config.workers.name ?? `${os.hostname()}-${process.pid}`;
  if (!config.workers.apiKey)
    log.warn('WORKER_API_KEY is not set: this node registers under a key derived from its name');
  const platform = await openPlatform(config, log);
  const worker = new WorkerAgent(
    {
      db: platform.db,
      bus: platform.bus,
      queue: platform.coordination.queue,
      log: log.child({ worker: name }),
    },
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
  return { platform, stop: () => worker.stop(config.shutdownGraceMs), details: { nodeId: worker.id } };
});
