import http from 'node:http';
import type { Platform } from './platform';

export interface DependencyCheck {
  name: string;
  adapter: string;
  check: () => Promise<void>;
}

export function platformChecks(p: Platform): DependencyCheck[] {
  return [
    { name: 'database', adapter: p.db.kind, check: async () => void (await p.db.query('SELECT 1')) },
    { name: 'broker', adapter: p.bus.kind, check: () => p.bus.check() },
    {
      name: 'redis',
      adapter: p.config.redis.adapter,
      check: async () => void (await p.coordination.cache.get('health:probe')),
    },
    {
      name: 'docstore',
      adapter: p.docstore.kind,
      check: async () =>
        void (await p.docstore.queryLogs({ executionId: '00000000-0000-4000-8000-000000000000', limit: 1 })),
    },
    { name: 'metrics', adapter: p.metrics.kind, check: async () => void (await p.metrics.flush()) },
  ];
}

async function runChecks(checks: DependencyCheck[], timeoutMs: number) {
  return Promise.all(
    checks.map(async (c) => {
      const started = Date.now();
      try {
        await Promise.race([
          c.check(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
          ),
        ]);
        return { name: c.name, adapter: c.adapter, status: 'up' as const, latencyMs: Date.now() - started };
      } catch (error) {
        return { name: c.name, adapter: c.adapter, status: 'down' as const, error: (error as Error).message };
      }
    }),
  );
}

/**
 * /healthz: the process is alive. /readyz: every dependency answers, each named with its state.
 * Every other request goes to `app` (the orchestrator's API) when one is given.
 */
export function startHealthServer(
  checks: DependencyCheck[],
  host: string,
  port: number,
  app?: http.RequestListener,
): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return send(200, { status: 'ok' });
    if (req.url === '/readyz') {
      const dependencies = await runChecks(checks, 2000);
      const ready = dependencies.every((d) => d.status === 'up');
      return send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', dependencies });
    }
    if (app) return app(req, res);
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `No route for ${req.method} ${req.url}`,
      }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
