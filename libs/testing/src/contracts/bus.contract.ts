import { randomUUID } from 'node:crypto';
import { MessageValidationError, UnrecoverableError, type Envelope } from '@verdict/contracts';
import type { DeliveryInfo, MessageBus } from '@verdict/bus';
import { cancelPayload, resultBatch } from '../fixtures';
import { sleep, uniqueName, waitFor } from '../services';

export interface BusUnderTest {
  bus: MessageBus;
  /** A second, independent bus on the same broker (a second process). */
  peer: () => Promise<MessageBus>;
  cleanup: () => Promise<void>;
}

/**
 * The contract every MessageBus adapter passes: topic routing, a copy per queue, competing
 * consumers, validation on both ends, retry then park, prefetch, and graceful drain.
 * Adapters are built with retry delays of [50, 100] ms and maxRetries 2.
 */
export function busContract(adapter: string, create: () => Promise<BusUnderTest>): void {
  describe(`MessageBus contract: ${adapter}`, () => {
    let t: BusUnderTest;
    beforeEach(async () => {
      t = await create();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('routes by topic with * and # wildcards, a copy to every matching queue', async () => {
      const seen: Record<string, string[]> = { star: [], exact: [], hash: [], other: [] };
      const sub = (
        name: string,
        pattern: string,
        exchange: 'test.results' | 'test.execution' = 'test.results',
      ) =>
        t.bus.subscribe({
          queue: uniqueName(name),
          bindings: [{ exchange, pattern }],
          handler: async (_e, d) => void seen[name].push(d.routingKey),
        });
      await sub('star', 'result.*');
      await sub('exact', 'result.failed');
      await sub('hash', '#');
      await sub('other', 'result.#', 'test.execution');
      await t.bus.publish('result.batch', resultBatch('failed'));
      await t.bus.publish('result.batch', resultBatch('passed'));
      await waitFor(
        () => seen.star.length === 2 && seen.exact.length === 1 && seen.hash.length === 2,
        10_000,
        'deliveries',
      );
      await sleep(100);
      expect(seen.star.sort()).toEqual(['result.failed', 'result.passed']);
      expect(seen.exact).toEqual(['result.failed']);
      expect(seen.hash.sort()).toEqual(['result.failed', 'result.passed']);
      expect(seen.other).toEqual([]);
    });

    it('delivers the envelope intact, with its id, type, version and correlation id', async () => {
      const got: Envelope[] = [];
      await t.bus.subscribe({
        queue: uniqueName('env'),
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        handler: async (e) => void got.push(e),
      });
      const workspaceId = randomUUID();
      const sent = await t.bus.publish('execution.cancel', cancelPayload(), {
        workspaceId,
        correlationId: 'corr-1',
      });
      await waitFor(() => got.length === 1);
      expect(got[0]).toEqual(sent);
      expect(got[0]).toMatchObject({
        type: 'execution.cancel',
        version: 1,
        correlationId: 'corr-1',
        workspaceId,
      });
    });

    it('shares one queue between competing consumers: each message handled once', async () => {
      const queue = uniqueName('compete');
      const byA: string[] = [];
      const byB: string[] = [];
      const bindings = [{ exchange: 'test.execution' as const, pattern: 'execution.cancel' }];
      await t.bus.subscribe({
        queue,
        bindings,
        prefetch: 1,
        handler: async (e) => {
          byA.push(e.id);
          await sleep(5);
        },
      });
      const peer = await t.peer();
      await peer.subscribe({
        queue,
        bindings,
        prefetch: 1,
        handler: async (e) => {
          byB.push(e.id);
          await sleep(5);
        },
      });
      const ids = [];
      for (let i = 0; i < 20; i++) ids.push((await t.bus.publish('execution.cancel', cancelPayload())).id);
      await waitFor(() => byA.length + byB.length === 20, 10_000, '20 deliveries');
      await sleep(100);
      expect([...byA, ...byB].sort()).toEqual(ids.sort());
      expect(byA.length).toBeGreaterThan(0);
      expect(byB.length).toBeGreaterThan(0);
    });

    it('refuses an invalid payload on publish and delivers nothing', async () => {
      const got: Envelope[] = [];
      await t.bus.subscribe({
        queue: uniqueName('invalid'),
        bindings: [{ exchange: 'test.execution', pattern: '#' }],
        handler: async (e) => void got.push(e),
      });
      await expect(
        t.bus.publish('execution.cancel', { executionId: 'not-a-uuid', reason: 'x', requestedBy: null }),
      ).rejects.toBeInstanceOf(MessageValidationError);
      await sleep(200);
      expect(got).toEqual([]);
    });

    it('parks a message that fails validation on consume, without calling the handler', async () => {
      const queue = uniqueName('badmsg');
      let calls = 0;
      await t.bus.subscribe({
        queue,
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        handler: async () => void calls++,
      });
      await t.bus.publishRaw('test.execution', 'execution.cancel', { id: 'nope', type: 'execution.cancel' });
      await t.bus.publishRaw('test.execution', 'execution.cancel', 'not json at all');
      let parked: Awaited<ReturnType<MessageBus['takeParked']>> = [];
      await waitFor(
        async () => (parked = parked.concat(await t.bus.takeParked(queue))).length === 2,
        10_000,
        'two parked',
      );
      expect(calls).toBe(0);
      expect(parked.map((p) => p.error).join('\n')).toMatch(/invalid envelope/);
      expect(parked.map((p) => p.error).join('\n')).toMatch(/SyntaxError/);
      expect(parked[0]).toMatchObject({
        queue,
        exchange: 'test.execution',
        routingKey: 'execution.cancel',
        attempts: 1,
      });
    });

    it('retries a handler that throws, then succeeds: at-least-once with the attempt count', async () => {
      const deliveries: DeliveryInfo[] = [];
      await t.bus.subscribe({
        queue: uniqueName('retry'),
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        handler: async (_e, d) => {
          deliveries.push(d);
          if (deliveries.length < 3) throw new Error('database is down');
        },
      });
      await t.bus.publish('execution.cancel', cancelPayload());
      await waitFor(() => deliveries.length === 3, 10_000, 'three attempts');
      await sleep(300);
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      expect(deliveries[1].redelivered).toBe(true);
      expect(
        deliveries.every((d) => d.exchange === 'test.execution' && d.routingKey === 'execution.cancel'),
      ).toBe(true);
    });

    it('parks a message whose handler keeps failing, with the error, after the retries', async () => {
      const queue = uniqueName('park');
      let calls = 0;
      await t.bus.subscribe({
        queue,
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        maxRetries: 2,
        handler: async () => {
          calls++;
          throw new Error('still broken');
        },
      });
      const sent = await t.bus.publish('execution.cancel', cancelPayload());
      let parked: Awaited<ReturnType<MessageBus['takeParked']>> = [];
      await waitFor(
        async () => (parked = await t.bus.takeParked(queue)).length === 1,
        10_000,
        'parked message',
      );
      expect(calls).toBe(3);
      expect(parked[0].error).toMatch(/still broken/);
      expect(parked[0].attempts).toBe(3);
      expect((parked[0].body as Envelope).id).toBe(sent.id);
      expect(await t.bus.takeParked(queue)).toEqual([]);
    });

    it('parks at once when the handler throws an unrecoverable error', async () => {
      const queue = uniqueName('unrec');
      let calls = 0;
      await t.bus.subscribe({
        queue,
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        handler: async () => {
          calls++;
          throw new UnrecoverableError('suite was deleted');
        },
      });
      await t.bus.publish('execution.cancel', cancelPayload());
      let parked: Awaited<ReturnType<MessageBus['takeParked']>> = [];
      await waitFor(async () => (parked = await t.bus.takeParked(queue)).length === 1, 10_000, 'parked');
      expect(calls).toBe(1);
      expect(parked[0].error).toMatch(/UnrecoverableError: suite was deleted/);
    });

    it('runs at most prefetch handlers at once', async () => {
      let running = 0;
      let peak = 0;
      let done = 0;
      await t.bus.subscribe({
        queue: uniqueName('prefetch'),
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        prefetch: 2,
        handler: async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(30);
          running--;
          done++;
        },
      });
      for (let i = 0; i < 8; i++) await t.bus.publish('execution.cancel', cancelPayload());
      await waitFor(() => done === 8, 10_000, 'eight handled');
      expect(peak).toBe(2);
    });

    it('keeps messages published while a declared queue has no consumer', async () => {
      const queue = uniqueName('durable');
      const bindings = [{ exchange: 'test.execution' as const, pattern: 'execution.cancel' }];
      const first = await t.bus.subscribe({ queue, bindings, handler: async () => undefined });
      await first.cancel();
      const sent = await t.bus.publish('execution.cancel', cancelPayload());
      const got: string[] = [];
      await t.bus.subscribe({ queue, bindings, handler: async (e) => void got.push(e.id) });
      await waitFor(() => got.length === 1);
      expect(got).toEqual([sent.id]);
    });

    it('answers a health check, and returns nothing parked for an unknown queue', async () => {
      await expect(t.bus.check()).resolves.toBeUndefined();
      expect(await t.bus.takeParked(uniqueName('never-declared'))).toEqual([]);
      await expect(t.bus.check()).resolves.toBeUndefined();
    });

    it('close() waits for handlers in flight and acks them', async () => {
      const queue = uniqueName('drain');
      const bindings = [{ exchange: 'test.execution' as const, pattern: 'execution.cancel' }];
      const peer = await t.peer();
      let started = false;
      let finished = false;
      await peer.subscribe({
        queue,
        bindings,
        handler: async () => {
          started = true;
          await sleep(300);
          finished = true;
        },
      });
      await t.bus.publish('execution.cancel', cancelPayload());
      await waitFor(() => started);
      await peer.close();
      expect(finished).toBe(true);
      // Acked: a new consumer on the same queue gets nothing more.
      const again: string[] = [];
      await t.bus.subscribe({ queue, bindings, handler: async (e) => void again.push(e.id) });
      await sleep(300);
      expect(again).toEqual([]);
    });
  });
}
