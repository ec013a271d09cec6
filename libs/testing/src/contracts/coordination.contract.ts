import { LockUnavailableError, type Cache, type LockManager } from '@verdict/queue';
import { sleep, uniqueName, waitFor } from '../services';

/** The contract both LockManager adapters pass. `peer` is another process's manager on the same store. */
export function lockContract(
  adapter: string,
  create: () => Promise<{ locks: LockManager; peer: LockManager; cleanup: () => Promise<void> }>,
): void {
  describe(`LockManager contract: ${adapter}`, () => {
    let t: Awaited<ReturnType<typeof create>>;
    beforeEach(async () => {
      t = await create();
    });
    afterEach(async () => t.cleanup());

    it('lets one holder in at a time', async () => {
      const r = uniqueName('res');
      let inside = 0;
      let peak = 0;
      const work = async () => {
        inside++;
        peak = Math.max(peak, inside);
        await sleep(100);
        inside--;
      };
      const results = await Promise.allSettled([t.locks.withLock(r, work), t.peer.withLock(r, work)]);
      expect(peak).toBe(1);
      const rejected = results.filter((x) => x.status === 'rejected') as PromiseRejectedResult[];
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(LockUnavailableError);
      expect(rejected[0].reason.message).toContain(r);
    });

    it('waits up to waitMs for the lock, then runs', async () => {
      const r = uniqueName('res');
      const order: string[] = [];
      await Promise.all([
        t.locks.withLock(r, async () => {
          order.push('first');
          await sleep(200);
        }),
        sleep(20).then(() => t.peer.withLock(r, async () => void order.push('second'), { waitMs: 3000 })),
      ]);
      expect(order).toEqual(['first', 'second']);
    });

    it('releases the lock when the work throws', async () => {
      const r = uniqueName('res');
      await expect(t.locks.withLock(r, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      await expect(t.peer.withLock(r, async () => 'ok')).resolves.toBe('ok');
    });

    it('keeps a lock held past its TTL while the work runs (auto-extension)', async () => {
      const r = uniqueName('res');
      let peerGotIt = false;
      await t.locks.withLock(
        r,
        async () => {
          for (let i = 0; i < 5; i++) {
            await sleep(500);
            const h = await t.peer.tryAcquire(r, 1000);
            if (h) {
              peerGotIt = true;
              await h.release();
            }
          }
        },
        { ttlMs: 1000 },
      );
      expect(peerGotIt).toBe(false);
    });

    it('elects one leader with tryAcquire and hands over on release', async () => {
      const r = uniqueName('leader');
      const a = await t.locks.tryAcquire(r, 1000);
      expect(a).not.toBeNull();
      expect(await t.peer.tryAcquire(r, 1000)).toBeNull();
      await sleep(1500); // longer than the TTL: still held, extended
      expect(await t.peer.tryAcquire(r, 1000)).toBeNull();
      expect(a!.lost).toBe(false);
      await a!.release();
      const b = await t.peer.tryAcquire(r, 1000);
      expect(b).not.toBeNull();
      await b!.release();
    });
  });
}

export function cacheContract(
  adapter: string,
  create: () => Promise<{ cache: Cache; cleanup: () => Promise<void> }>,
): void {
  describe(`Cache contract: ${adapter}`, () => {
    let t: Awaited<ReturnType<typeof create>>;
    beforeEach(async () => {
      t = await create();
    });
    afterEach(async () => t.cleanup());

    it('stores JSON values until their TTL runs out', async () => {
      const k = uniqueName('session');
      await t.cache.set(k, { activeExecutions: ['e1'], lastActivity: 1 }, 200);
      expect(await t.cache.get(k)).toEqual({ activeExecutions: ['e1'], lastActivity: 1 });
      const left = await t.cache.ttl(k);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(200);
      await waitFor(async () => (await t.cache.get(k)) === undefined, 2000, 'expiry');
      expect(await t.cache.ttl(k)).toBe(-1);
    });

    it('overwrites and deletes', async () => {
      const k = uniqueName('k');
      await t.cache.set(k, 1, 10_000);
      await t.cache.set(k, 2, 10_000);
      expect(await t.cache.get(k)).toBe(2);
      await t.cache.delete(k);
      expect(await t.cache.get(k)).toBeUndefined();
    });

    it('counts in a fixed window that later increments do not extend', async () => {
      const k = uniqueName('n');
      expect(await t.cache.incr(k, 300)).toBe(1);
      expect(await t.cache.incr(k, 300)).toBe(2);
      await new Promise((r) => setTimeout(r, 150));
      expect(await t.cache.incr(k, 300)).toBe(3);
      const left = await t.cache.ttl(k);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(160);
      await waitFor(async () => (await t.cache.ttl(k)) === -1, 2000, 'the window to end');
      expect(await t.cache.incr(k, 300)).toBe(1);
    });
  });
}
