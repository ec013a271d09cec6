// The stub manager alone in its own process, for bench/mock-server.bench.ts: real Postgres for
// its tables and its journal (the embedded docstore), metrics off. Prints {"port": N} when ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessControl, issueApiKey } from '@verdict/auth';
import { InProcessBus } from '@verdict/bus';
import { createLogger, loadConfig } from '@verdict/config';
import { Migrator, PostgresDatabase, seed } from '@verdict/db';
import { SqlDocumentStore } from '@verdict/docstore';
import { OffMetricsWriter } from '@verdict/metrics';
import { InProcessCache } from '@verdict/queue';
import { startMockServer } from '@verdict/mock-server';

void (async () => {
  const url = process.env.BENCH_DATABASE_URL!;
  const db = await PostgresDatabase.connect({ url, poolMax: 4 });
  await new Migrator(db).migrate();
  await seed(db, loadConfig({ VERDICT_ADMIN_PASSWORD: 'bench-admin-password' }));
  const log = createLogger('warn');
  const server = await startMockServer(
    {
      db,
      docstore: new SqlDocumentStore(db, { logDays: 1, reportDays: 1, mockRequestDays: 1 }),
      bus: new InProcessBus(),
      metrics: new OffMetricsWriter(),
      log,
      access: new AccessControl(
        { db, cache: new InProcessCache(), log },
        { defaultWorkspace: 'default', limits: { loginPerMinute: 10, hooksPerMinute: 100 } },
      ),
    },
    { host: '127.0.0.1', journalFlushMs: 200, maxAttempts: 1 },
  );
  const key = await issueApiKey(db, 'admin', 'bench');
  const httpServer = http.createServer(server.handler);
  httpServer.keepAliveTimeout = 65_000;
  httpServer.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (httpServer.address() as AddressInfo).port, key })}\n`);
  });
  process.on('SIGTERM', async () => {
    httpServer.close();
    await server.stop();
    process.stdout.write(
      `${JSON.stringify({ journaled: server.journal.written, dropped: server.journal.dropped })}\n`,
    );
    await db.close();
    process.exit(0);
  });
})();
