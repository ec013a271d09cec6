import { cacheContract, jobQueueContract, lockContract } from '@verdict/testing';
import { InProcessCache } from './in-process-cache';
import { InProcessJobQueue } from './in-process-job-queue';
import { InProcessLockManager } from './in-process-lock-manager';

jobQueueContract('in-process', async () => ({
  queue: new InProcessJobQueue(),
  cleanup: async () => undefined,
}));

// One process: the "peer" is the same manager, as every component of the all-in-one mode shares it.
lockContract('in-process', async () => {
  const locks = new InProcessLockManager();
  return { locks, peer: locks, cleanup: () => locks.close() };
});

cacheContract('in-process', async () => {
  const cache = new InProcessCache();
  return { cache, cleanup: () => cache.close() };
});
