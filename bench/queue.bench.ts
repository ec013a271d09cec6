// Lease+ack cycles/s on Redis (and in process for reference), 8 concurrent workers.
// Usage: npm run bench:queue   (JOBS=20000 to change size)
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { InProcessJobQueue, RedisJobQueue, type JobQueue } from '@verdict/queue';
import { BENCH, rate, report } from './bench-env';

const JOBS = Number(process.env.JOBS ?? 20_000);
const WORKERS = 8;

async function measure(label: string, queue: JobQueue) {
  const executionId = randomUUID();
  for (let i = 0; i < JOBS; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, JOBS - i) }, (_, j) =>
        queue.enqueue({
          pool: 'bench',
          priority: (i + j) % 10,
          executionId,
          payload: { files: ['a.spec.ts', 'b.spec.ts'] },
        }),
      ),
    );
  }
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      for (;;) {
        const lease = await queue.lease('bench', `w${w}`, 30_000);
        if (!lease) return;
        if (!(await queue.ack(lease))) throw new Error('ack refused');
        done++;
      }
    }),
  );
  const ms = performance.now() - started;
  if (done !== JOBS) throw new Error(`${label}: ${done} of ${JOBS} jobs done`);
  return {
    adapter: label,
    jobs: JOBS,
    workers: WORKERS,
    seconds: +(ms / 1000).toFixed(2),
    'lease+ack/s': rate(JOBS, ms),
  };
}

void (async () => {
  const redis = new Redis(BENCH.redisUrl);
  const prefix = `bench-${randomUUID().slice(0, 8)}:`;
  const rows = [await measure('redis (Lua scripts)', new RedisJobQueue(redis, prefix))];
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  rows.push(await measure('in-process', new InProcessJobQueue()));
  report('queue: lease+ack cycles', rows);
})();
