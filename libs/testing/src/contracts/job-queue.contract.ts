import { randomUUID } from 'node:crypto';
import { InvalidJobError, type JobQueue, type NewJob } from '@verdict/queue';
import { sleep } from '../services';

const job = (over: Partial<NewJob> = {}): NewJob => ({
  pool: 'default',
  priority: 5,
  executionId: randomUUID(),
  payload: { files: ['a.spec.ts'] },
  ...over,
});

/** The contract every JobQueue adapter passes (Redis, in-process). */
export function jobQueueContract(
  adapter: string,
  create: () => Promise<{ queue: JobQueue; cleanup: () => Promise<void> }>,
): void {
  describe(`JobQueue contract: ${adapter}`, () => {
    let q: JobQueue;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ queue: q, cleanup } = await create());
    });
    afterEach(async () => cleanup());

    it('leases the highest priority first, FIFO within a priority, then nothing', async () => {
      const a = await q.enqueue(job({ priority: 5, payload: { n: 'a' } }));
      const b = await q.enqueue(job({ priority: 5, payload: { n: 'b' } }));
      const c = await q.enqueue(job({ priority: 9, payload: { n: 'c' } }));
      const d = await q.enqueue(job({ priority: 0, payload: { n: 'd' } }));
      const order = [];
      for (let i = 0; i < 4; i++) order.push((await q.lease('default', 'w1', 10_000))!.job.id);
      expect(order).toEqual([c.id, a.id, b.id, d.id]);
      expect(await q.lease('default', 'w1', 10_000)).toBeNull();
    });

    it('returns the job as enqueued, with a lease token and expiry', async () => {
      const before = Date.now();
      const j = await q.enqueue(job({ payload: { files: ['x.spec.ts'], shard: 1 }, maxAttempts: 4 }));
      const lease = (await q.lease('default', 'w1', 5000))!;
      expect(lease.job).toMatchObject({
        id: j.id,
        pool: 'default',
        priority: 5,
        executionId: j.executionId,
        payload: { files: ['x.spec.ts'], shard: 1 },
        attempts: 0,
        maxAttempts: 4,
        state: 'leased',
      });
      expect(lease.workerId).toBe('w1');
      expect(lease.token).toMatch(/[0-9a-f-]{36}/);
      expect(lease.expiresAt).toBeGreaterThanOrEqual(before + 4000);
    });

    it('keeps pools apart', async () => {
      await q.enqueue(job({ pool: 'gpu' }));
      expect(await q.lease('default', 'w1', 1000)).toBeNull();
      expect((await q.lease('gpu', 'w1', 1000))?.job.pool).toBe('gpu');
    });

    it('enqueues once per id (idempotent), and refuses invalid jobs with the fix', async () => {
      const id = randomUUID();
      await q.enqueue(job({ id }));
      await q.enqueue(job({ id }));
      expect(await q.depth('default')).toEqual([{ pool: 'default', priority: 5, count: 1 }]);
      await expect(q.enqueue(job({ priority: 10 }))).rejects.toThrow(InvalidJobError);
      await expect(q.enqueue(job({ priority: 10 }))).rejects.toThrow(
        /priority must be an integer from 0 to 9/,
      );
      await expect(q.enqueue(job({ pool: 'Bad Pool' }))).rejects.toThrow(/pool must be lowercase/);
    });

    it('acks a held lease once; a stale token can neither ack nor renew', async () => {
      const j = await q.enqueue(job());
      const lease = (await q.lease('default', 'w1', 10_000))!;
      expect(await q.ack({ ...lease, token: 'not-mine' })).toBe(false);
      expect(await q.ack(lease)).toBe(true);
      expect(await q.ack(lease)).toBe(false);
      expect(await q.get(j.id)).toBeNull();
      expect(await q.renew(lease, 1000)).toBe('lost');
    });

    it('renewing keeps a lease alive past its first expiry', async () => {
      await q.enqueue(job());
      const lease = (await q.lease('default', 'w1', 300))!;
      await sleep(200);
      expect(await q.renew(lease, 400)).toBe('renewed');
      await sleep(200);
      expect(await q.lease('default', 'w2', 1000)).toBeNull();
      expect(await q.ack(lease)).toBe(true);
    });

    it('puts a job whose lease expired back, attempts raised, for another worker', async () => {
      const j = await q.enqueue(job());
      const first = (await q.lease('default', 'w1', 100))!;
      await sleep(160);
      const second = (await q.lease('default', 'w2', 10_000))!;
      expect(second.job.id).toBe(j.id);
      expect(second.job.attempts).toBe(1);
      expect(second.job.lastError).toBe('lease expired');
      expect(await q.renew(first, 1000)).toBe('lost');
      expect(await q.ack(first)).toBe(false);
      expect(await q.ack(second)).toBe(true);
    });

    it('marks a job dead past maxAttempts and reports it', async () => {
      const j = await q.enqueue(job({ maxAttempts: 2 }));
      await q.lease('default', 'w1', 50);
      await sleep(80);
      expect((await q.reapExpired()).requeued).toEqual([j.id]);
      await q.lease('default', 'w1', 50);
      await sleep(80);
      expect(await q.reapExpired()).toEqual({ requeued: [], dead: [j.id] });
      expect(await q.lease('default', 'w1', 1000)).toBeNull();
      const dead = await q.deadJobs('default');
      expect(dead.map((d) => [d.id, d.state, d.attempts, d.lastError])).toEqual([
        [j.id, 'dead', 2, 'lease expired'],
      ]);
    });

    it('release gives a job back first in line without counting an attempt', async () => {
      const a = await q.enqueue(job());
      const b = await q.enqueue(job());
      const lease = (await q.lease('default', 'w1', 10_000))!;
      expect(lease.job.id).toBe(a.id);
      expect(await q.release(lease)).toBe(true);
      const again = (await q.lease('default', 'w2', 10_000))!;
      expect(again.job).toMatchObject({ id: a.id, attempts: 0 });
      expect((await q.lease('default', 'w2', 10_000))!.job.id).toBe(b.id);
    });

    it('fail counts an attempt and requeues, then kills at maxAttempts', async () => {
      const j = await q.enqueue(job({ maxAttempts: 2 }));
      expect(await q.fail((await q.lease('default', 'w1', 10_000))!, 'exit code 1')).toBe('requeued');
      const second = (await q.lease('default', 'w1', 10_000))!;
      expect(second.job).toMatchObject({ id: j.id, attempts: 1, lastError: 'exit code 1' });
      expect(await q.fail(second, 'exit code 1 again')).toBe('dead');
      expect((await q.get(j.id))?.state).toBe('dead');
    });

    it('releaseWorker puts every job of a gone worker back at once', async () => {
      const a = await q.enqueue(job());
      const b = await q.enqueue(job());
      await q.lease('default', 'dying', 60_000);
      await q.lease('default', 'dying', 60_000);
      expect(await q.lease('default', 'w2', 1000)).toBeNull();
      const out = await q.releaseWorker('dying', 'node offline');
      expect(out.requeued.sort()).toEqual([a.id, b.id].sort());
      const got = [(await q.lease('default', 'w2', 1000))!, (await q.lease('default', 'w2', 1000))!];
      expect(got.map((l) => l.job.id).sort()).toEqual([a.id, b.id].sort());
      expect(got.every((l) => l.job.attempts === 1 && l.job.lastError === 'node offline')).toBe(true);
    });

    it('cancels an execution: queued jobs removed, leased ones told on renew', async () => {
      const exec = randomUUID();
      const other = await q.enqueue(job());
      const leased = await q.enqueue(job({ executionId: exec, priority: 9 }));
      await q.enqueue(job({ executionId: exec }));
      await q.enqueue(job({ executionId: exec }));
      const lease = (await q.lease('default', 'w1', 10_000))!;
      expect(lease.job.id).toBe(leased.id);
      expect(await q.cancelExecution(exec)).toEqual({ removed: 2, leased: [leased.id] });
      expect(await q.renew(lease, 10_000)).toBe('cancelled');
      expect(await q.ack(lease)).toBe(true);
      expect(await q.depth()).toEqual([{ pool: 'default', priority: 5, count: 1 }]);
      expect((await q.lease('default', 'w2', 1000))!.job.id).toBe(other.id);
      expect(await q.lease('default', 'w2', 1000)).toBeNull();
    });

    it('reports depth per pool and priority', async () => {
      await q.enqueue(job({ pool: 'default', priority: 5 }));
      await q.enqueue(job({ pool: 'default', priority: 5 }));
      await q.enqueue(job({ pool: 'default', priority: 8 }));
      await q.enqueue(job({ pool: 'gpu', priority: 1 }));
      expect(await q.depth()).toEqual([
        { pool: 'default', priority: 8, count: 1 },
        { pool: 'default', priority: 5, count: 2 },
        { pool: 'gpu', priority: 1, count: 1 },
      ]);
      expect(await q.depth('gpu')).toEqual([{ pool: 'gpu', priority: 1, count: 1 }]);
    });

    it('gives each job to exactly one of many concurrent workers', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 60; i++) ids.add((await q.enqueue(job({ priority: i % 10 }))).id);
      const leased: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (;;) {
            const l = await q.lease('default', `w${w}`, 10_000);
            if (!l) return;
            leased.push(l.job.id);
            await q.ack(l);
          }
        }),
      );
      expect(leased.length).toBe(60);
      expect(new Set(leased)).toEqual(ids);
    });
  });
}
