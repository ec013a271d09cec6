// Mock traffic: Verdict's stub manager against WireMock on the same stubs, in the same run.
// A mock of 50 routes with 5 conditions each (25 routes matched on a query parameter, 25 on a
// JSON body field by JSON path), journaling on (Verdict: batched into Postgres; WireMock: its
// in-memory request journal). Each server runs in its own process; autocannon drives both with
// the same 300 requests (every condition and every default), after a warm-up.
// Usage: npm run bench:mocks   (DURATION=15 CONNECTIONS=32 to change)
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { createTestDatabase } from '@verdict/testing';
import { BENCH, report } from './bench-env';

const ROUTES = 50;
const CONDITIONS = 5;
const DURATION = Number(process.env.DURATION ?? 15);
const WARMUP = Number(process.env.WARMUP ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const root = path.resolve(__dirname, '..');

const isQueryRoute = (i: number) => i % 2 === 0;
const value = (k: number) => `tier-${k}`;
const answer = (i: number, k: number | null) => ({ route: i, condition: k, ok: true, items: [1, 2, 3] });

/** The stubs as Verdict mock routes. */
function verdictRoutes() {
  return Array.from({ length: ROUTES }, (_, i) => ({
    method: isQueryRoute(i) ? 'GET' : 'POST',
    path: isQueryRoute(i) ? `/svc/r${i}/items/:id` : `/svc/r${i}/orders`,
    response: { status: 200, body: answer(i, null) },
    conditions: Array.from({ length: CONDITIONS }, (_, k) => ({
      parameterName: isQueryRoute(i) ? 'tier' : '$.customer.tier',
      parameterSource: isQueryRoute(i) ? 'QUERY' : 'BODY',
      operator: 'EQUALS',
      expectedValue: value(k),
      priority: CONDITIONS - k,
      response: { status: 200, body: answer(i, k) },
    })),
  }));
}

/** The same stubs as WireMock mappings: one per condition by priority, then the route's default. */
function wiremockMappings() {
  const mappings: unknown[] = [];
  for (let i = 0; i < ROUTES; i++) {
    const request = isQueryRoute(i)
      ? { method: 'GET', urlPathPattern: `/svc/r${i}/items/[^/]+` }
      : { method: 'POST', urlPath: `/svc/r${i}/orders` };
    for (let k = 0; k < CONDITIONS; k++)
      mappings.push({
        priority: k + 1,
        request: isQueryRoute(i)
          ? { ...request, queryParameters: { tier: { equalTo: value(k) } } }
          : {
              ...request,
              bodyPatterns: [{ matchesJsonPath: { expression: '$.customer.tier', equalTo: value(k) } }],
            },
        response: { status: 200, jsonBody: answer(i, k) },
      });
    mappings.push({ priority: 10, request, response: { status: 200, jsonBody: answer(i, null) } });
  }
  return { mappings };
}

/** Every route with every condition's value and once with none. */
function requests(prefix: string) {
  const out: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }[] = [];
  for (let i = 0; i < ROUTES; i++)
    for (let k = 0; k <= CONDITIONS; k++) {
      const v = k < CONDITIONS ? value(k) : 'other';
      if (isQueryRoute(i)) out.push({ method: 'GET', path: `${prefix}/svc/r${i}/items/${k + 1}?tier=${v}` });
      else
        out.push({
          method: 'POST',
          path: `${prefix}/svc/r${i}/orders`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ customer: { id: k, tier: v }, amount: 10 * k }),
        });
    }
  return out;
}

function firstLine(child: ChildProcess, match: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${match} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (match.test(line)) {
        clearTimeout(timer);
        rl.close();
        resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready`)));
  });
}

async function load(url: string, list: ReturnType<typeof requests>, seconds: number) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: list });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

void (async () => {
  const { url, drop } = await createTestDatabase(BENCH.databaseUrl);
  const verdict = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'mock-server/serve.ts')], {
    cwd: root,
    env: { ...process.env, BENCH_DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wmPort = await freePort();
  const jar = path.join(root, 'node_modules/wiremock/build/wiremock-standalone-3.13.2.jar');
  const wiremock = spawn('java', ['-jar', jar, '--port', String(wmPort), '--disable-banner'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const { port, key } = JSON.parse(await firstLine(verdict, /"port"/));
    const vBase = `http://127.0.0.1:${port}`;
    const created = await fetch(`${vBase}/api/v1/mocks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ name: 'bench', routes: verdictRoutes() }),
    });
    if (created.status !== 201) throw new Error(`Verdict mock not created: ${await created.text()}`);
    const wBase = `http://127.0.0.1:${wmPort}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${wBase}/__admin/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 120) throw new Error('WireMock did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    const imported = await fetch(`${wBase}/__admin/mappings/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(wiremockMappings()),
    });
    if (!imported.ok) throw new Error(`WireMock mappings not imported: ${await imported.text()}`);

    // Same answers from both, for every request of the set.
    const vList = requests('/mocks/bench');
    const wList = requests('');
    for (let n = 0; n < vList.length; n += 37) {
      const [a, b] = await Promise.all([
        fetch(`${vBase}${vList[n].path}`, {
          method: vList[n].method,
          headers: vList[n].headers,
          body: vList[n].body,
        }).then((r) => r.json()),
        fetch(`${wBase}${wList[n].path}`, {
          method: wList[n].method,
          headers: wList[n].headers,
          body: wList[n].body,
        }).then((r) => r.json()),
      ]);
      if (JSON.stringify(a) !== JSON.stringify(b))
        throw new Error(
          `answers differ for ${vList[n].method} ${vList[n].path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
        );
    }

    await load(wBase, wList, WARMUP);
    await load(vBase, vList, WARMUP);
    const w = await load(wBase, wList, DURATION);
    const v = await load(vBase, vList, DURATION);

    verdict.kill('SIGTERM');
    const stopped = JSON.parse(await firstLine(verdict, /"journaled"/));
    report('Mock traffic: Verdict vs WireMock (50 routes × 5 conditions, journaling on)', [
      { server: 'Verdict stub manager', ...v, journaled: stopped.journaled },
      { server: 'WireMock 3.13.2 (standalone jar)', ...w, journaled: '(in memory)' },
      {
        server: 'ratio Verdict / WireMock',
        rps: Number((v.rps / w.rps).toFixed(2)),
        p50: Number((v.p50 / Math.max(w.p50, 0.001)).toFixed(2)),
        p99: Number((v.p99 / Math.max(w.p99, 0.001)).toFixed(2)),
        requests: '',
        errors: '',
        journaled: '',
      },
    ]);
  } finally {
    verdict.kill('SIGTERM');
    wiremock.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await drop();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
