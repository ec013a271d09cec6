import { randomUUID } from 'node:crypto';
import type { TestLog, TestReport } from '@verdict/contracts';
import type { DocumentStore } from '@verdict/docstore';

const DAY = 24 * 3600 * 1000;

export function logLine(executionId: string, over: Partial<TestLog> = {}): TestLog {
  return {
    executionId,
    testId: null,
    timestamp: new Date().toISOString(),
    level: 'info',
    message: 'hello',
    context: { stream: 'stdout', shardIndex: 0 },
    metadata: {},
    correlationId: executionId,
    ...over,
  };
}

export function report(executionId: string, over: Partial<TestReport> = {}): TestReport {
  return {
    executionId,
    generatedAt: new Date().toISOString(),
    type: 'json',
    summary: { total: 3, passed: 2, failed: 1, skipped: 0, duration: 1234, passRate: 2 / 3 },
    details: {
      suites: [{ name: 'math', tests: 3, passed: 2, failed: 1, duration: 1234 }],
      failures: [
        { test: 'adds', error: 'expected 2 to be 3', stack: 'at x', diff: { expected: 3, actual: 2 } },
      ],
      coverage: null,
    },
    artifacts: { screenshots: [], videos: [] },
    distribution: { recipients: [], channels: [], sentAt: null },
    extra: { flaky: [] },
    ...over,
  };
}

/** The contract both DocumentStore adapters pass (MongoDB, SQL). Retention: logs 30 days, reports 365. */
export function documentStoreContract(
  adapter: string,
  create: () => Promise<{ store: DocumentStore; cleanup: () => Promise<void> }>,
): void {
  describe(`DocumentStore contract: ${adapter}`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await create());
    });
    afterEach(async () => cleanup());

    it('appends logs in a batch and pages through them oldest first', async () => {
      const exec = randomUUID();
      const t0 = Date.now() - 60_000;
      const lines = Array.from({ length: 25 }, (_, i) =>
        logLine(exec, { message: `line ${i}`, timestamp: new Date(t0 + i * 1000).toISOString() }),
      );
      await store.appendLogs([...lines].reverse());
      await store.appendLogs([logLine(randomUUID())]);
      const first = await store.queryLogs({ executionId: exec, limit: 10 });
      expect(first.total).toBe(25);
      expect(first.items.map((l) => l.message)).toEqual(lines.slice(0, 10).map((l) => l.message));
      const third = await store.queryLogs({ executionId: exec, limit: 10, offset: 20 });
      expect(third.items.map((l) => l.message)).toEqual(lines.slice(20).map((l) => l.message));
      expect(third.items[0]).toEqual(lines[20]);
    });

    it('filters logs by test, level and time range', async () => {
      const exec = randomUUID();
      const t0 = Date.now() - 10_000;
      await store.appendLogs([
        logLine(exec, {
          testId: 'a',
          level: 'info',
          timestamp: new Date(t0).toISOString(),
          message: 'a-info',
        }),
        logLine(exec, {
          testId: 'a',
          level: 'error',
          timestamp: new Date(t0 + 1000).toISOString(),
          message: 'a-error',
        }),
        logLine(exec, {
          testId: 'b',
          level: 'warn',
          timestamp: new Date(t0 + 2000).toISOString(),
          message: 'b-warn',
        }),
        logLine(exec, {
          testId: 'b',
          level: 'debug',
          timestamp: new Date(t0 + 3000).toISOString(),
          message: 'b-debug',
        }),
      ]);
      const msgs = async (q: Parameters<DocumentStore['queryLogs']>[0]) =>
        (await store.queryLogs(q)).items.map((l) => l.message);
      expect(await msgs({ executionId: exec, testId: 'a' })).toEqual(['a-info', 'a-error']);
      expect(await msgs({ executionId: exec, levels: ['warn', 'error'] })).toEqual(['a-error', 'b-warn']);
      expect(await msgs({ executionId: exec, from: new Date(t0 + 1000), to: new Date(t0 + 2000) })).toEqual([
        'a-error',
        'b-warn',
      ]);
      expect(await msgs({ executionId: exec, testId: 'b', levels: ['debug'] })).toEqual(['b-debug']);
    });

    it('never returns logs past their retention, and purges them while keeping newer ones', async () => {
      const exec = randomUUID();
      await store.appendLogs([
        logLine(exec, { message: 'old', timestamp: new Date(Date.now() - 31 * DAY).toISOString() }),
        logLine(exec, { message: 'recent', timestamp: new Date(Date.now() - 29 * DAY).toISOString() }),
      ]);
      expect((await store.queryLogs({ executionId: exec })).items.map((l) => l.message)).toEqual(['recent']);
      const purged = await store.purgeExpired();
      expect(purged.logs).toBeGreaterThanOrEqual(1);
      expect((await store.queryLogs({ executionId: exec })).items.map((l) => l.message)).toEqual(['recent']);
    });

    it('saves a report, replaces it on save again, and gets it by execution and type', async () => {
      const exec = randomUUID();
      await store.saveReport(report(exec));
      await store.saveReport(report(exec, { type: 'junit' }));
      const updated = report(exec, {
        summary: { total: 3, passed: 3, failed: 0, skipped: 0, duration: 900, passRate: 1 },
      });
      await store.saveReport(updated);
      expect(await store.getReport(exec)).toEqual(updated);
      expect((await store.getReport(exec, 'junit'))?.type).toBe('junit');
      expect(await store.getReport(randomUUID())).toBeNull();
    });

    it('lists reports newest first with their summaries, paginated', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (let i = 0; i < 3; i++) {
        await store.saveReport(
          report(ids[i], { generatedAt: new Date(Date.now() - (3 - i) * 1000).toISOString() }),
        );
      }
      const page = await store.listReports({ limit: 2 });
      expect(page.total).toBeGreaterThanOrEqual(3);
      expect(page.items.map((r) => r.executionId)).toEqual([ids[2], ids[1]]);
      expect(page.items[0].summary.passRate).toBeCloseTo(2 / 3);
    });

    it('treats a report past its retention as gone', async () => {
      const exec = randomUUID();
      await store.saveReport(report(exec, { generatedAt: new Date(Date.now() - 366 * DAY).toISOString() }));
      expect(await store.getReport(exec)).toBeNull();
      expect((await store.purgeExpired()).reports).toBeGreaterThanOrEqual(1);
    });
  });
}
