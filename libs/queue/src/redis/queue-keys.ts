/** Every Redis key the adapters use, in one place (ARCHITECTURE.md: queue:{pool}:{priority}, lock:{resource}, lease:*). */
export const queueKeys = (prefix: string) => ({
  queue: (pool: string, priority: number) => `${prefix}queue:${pool}:${priority}`,
  job: (id: string) => `${prefix}job:${id}`,
  leases: (pool: string) => `${prefix}lease:${pool}`,
  workerLeases: (workerId: string) => `${prefix}lease:worker:${workerId}`,
  dead: (pool: string) => `${prefix}dead:${pool}`,
  executionJobs: (executionId: string) => `${prefix}exec:${executionId}:jobs`,
  pools: () => `${prefix}pools`,
  lock: (resource: string) => `${prefix}lock:${resource}`,
  cache: (key: string) => `${prefix}${key}`,
});
