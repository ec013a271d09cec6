import { randomUUID } from 'node:crypto';
import type { MockRequestLog, TestLog, TestReport } from '@verdict/contracts';
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

export function mockRequest(mockId: string, over: Partial<MockRequestLog> = {}): MockRequestLog {
  return {
    id: '',
    requestId: randomUUID(),
    mockId,
    mockName: 'shop',
    timestamp: new Date().toISOString(),
    method: 'POST',
    path: '/orders/7',
    query: { src: 'test' },
    headers: { 'content-type': 'application/json' },
    requestBody: JSON.stringify({ sku: 'A1', qty: 2, customer: { tier: 'gold', tags: ['a', 'b'] } }),
    responseStatus: 201,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: '{"ok":true}',
    responseTimeMs: 1.5,
    clientIp: '127.0.0.1',
    userAgent: 'contract',
    scenario: null,
    executionId: null,
    route: 'POST /orders/:id',
    matched: 'default',
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

    it('journals mock requests and finds them by method, path template, execution, body and time', async () => {
      const mock = randomUUID();
      const t0 = Date.now() - 60_000;
      const at = (s: number) => new Date(t0 + s * 1000).toISOString();
      await store.appendMockRequests([
        mockRequest(mock, { timestamp: at(1), executionId: 'exec-a' }),
        mockRequest(mock, {
          timestamp: at(2),
          executionId: 'exec-a',
          requestBody: JSON.stringify({ sku: 'B2', qty: 1 }),
          path: '/orders/8',
        }),
        mockRequest(mock, { timestamp: at(3), executionId: 'exec-b' }),
        mockRequest(mock, {
          timestamp: at(4),
          method: 'GET',
          path: '/health',
          requestBody: null,
          responseStatus: 404,
          route: null,
          matched: 'none',
        }),
        mockRequest(mock, { timestamp: at(5), requestBody: 'not json {', responseTimeMs: 9 }),
        mockRequest(randomUUID(), { timestamp: at(6) }),
      ]);
      const q = (over: object) => store.queryMockRequests({ mockId: mock, ...over });
      const all = await q({});
      expect(all.total).toBe(5);
      expect(all.items[0]).toMatchObject({ timestamp: at(5), requestBody: 'not json {', mockName: 'shop' });
      expect(all.items.at(-1)).toMatchObject({
        executionId: 'exec-a',
        query: { src: 'test' },
        route: 'POST /orders/:id',
      });
      expect((await q({ method: 'post', path: '/orders/:id' })).total).toBe(4);
      expect((await q({ path: '/orders/8' })).total).toBe(1);
      expect((await q({ path: '/orders/*' })).total).toBe(4);
      expect((await q({ executionId: 'exec-a' })).total).toBe(2);
      expect((await q({ executionId: null })).total).toBe(2);
      expect((await q({ body: { sku: 'A1' } })).total).toBe(2);
      expect((await q({ body: { customer: { tier: 'gold' } }, executionId: 'exec-b' })).total).toBe(1);
      expect((await q({ body: { customer: { tags: ['a', 'b'] } } })).total).toBe(2);
      expect((await q({ body: { customer: { tags: ['a'] } } })).total).toBe(0);
      expect((await q({ bodyContains: '"qty":1' })).total).toBe(1);
      expect((await q({ since: new Date(t0 + 2500), until: new Date(t0 + 4500) })).total).toBe(2);
      expect((await q({ status: 404 })).items.map((r) => r.path)).toEqual(['/health']);
      const page = await q({ limit: 2, offset: 2 });
      expect([page.total, page.items.map((r) => r.timestamp)]).toEqual([5, [at(3), at(2)]]);
    });

    it('summarizes mock requests per day and method, with per-route statistics, and clears one execution', async () => {
      const mock = randomUUID();
      await store.appendMockRequests([
        mockRequest(mock, { responseTimeMs: 2, executionId: 'x' }),
        mockRequest(mock, { responseTimeMs: 4 }),
        mockRequest(mock, {
          method: 'GET',
          path: '/nope',
          route: null,
          matched: 'none',
          responseStatus: 404,
          responseTimeMs: 1,
        }),
      ]);
      const summary = await store.summarizeMockRequests({ mockId: mock });
      const today = new Date().toISOString().slice(0, 10);
      expect(summary).toEqual([
        {
          date: today,
          method: 'GET',
          requestCount: 1,
          avgResponseTimeMs: 1,
          minResponseTimeMs: 1,
          maxResponseTimeMs: 1,
          errorCount: 1,
          successCount: 0,
        },
        {
          date: today,
          method: 'POST',
          requestCount: 2,
          avgResponseTimeMs: 3,
          minResponseTimeMs: 2,
          maxResponseTimeMs: 4,
          errorCount: 0,
          successCount: 2,
        },
      ]);
      const stats = await store.mockRequestStats(mock);
      expect(stats).toMatchObject({ total: 3, errors: 1, unmatched: 1, maxResponseTimeMs: 4 });
      expect(stats.byRoute).toEqual([
        { route: 'POST /orders/:id', count: 2, errors: 0, avgResponseTimeMs: 3 },
        { route: null, count: 1, errors: 1, avgResponseTimeMs: 1 },
      ]);
      expect(await store.clearMockRequests(mock, 'x')).toBe(1);
      expect((await store.queryMockRequests({ mockId: mock })).total).toBe(2);
      expect((await store.mockRequestStats(randomUUID())).total).toBe(0);
    });

    it('treats mock requests past their retention as gone', async () => {
      const mock = randomUUID();
      await store.appendMockRequests([
        mockRequest(mock, { timestamp: new Date(Date.now() - 8 * DAY).toISOString() }),
      ]);
      expect((await store.queryMockRequests({ mockId: mock })).total).toBe(0);
      expect((await store.purgeExpired()).mockRequests).toBeGreaterThanOrEqual(1);
    });
  });
}
