import type { VerdictConfig, Logger } from '@verdict/config';
import { createBus, type MessageBus } from '@verdict/bus';
import { openDatabase, type SqlDatabase } from '@verdict/db';
import { createDocumentStore, type DocumentStore } from '@verdict/docstore';
import { createMetricsWriter, type MetricsWriter } from '@verdict/metrics';
import { createCoordination, type Coordination } from '@verdict/queue';

/** Every port's adapter, built from config: the composition root's raw material. */
export interface Platform {
  config: VerdictConfig;
  db: SqlDatabase;
  bus: MessageBus;
  coordination: Coordination;
  docstore: DocumentStore;
  metrics: MetricsWriter;
  close(): Promise<void>;
}

export async function openDatabaseLogged(config: VerdictConfig, log: Logger): Promise<SqlDatabase> {
  const db = await openDatabase(config.database, (attempt, delayMs, error) =>
    log.warn({ attempt, delayMs, err: (error as Error).message }, 'database not reachable yet, retrying'),
  );
  log.info({ database: db.describe() }, 'database connected');
  return db;
}

export async function openPlatform(
  config: VerdictConfig,
  log: Logger,
  given?: SqlDatabase,
): Promise<Platform> {
  const opened: { close(): Promise<void> }[] = [];
  try {
    const db = given ?? (await openDatabaseLogged(config, log));
    opened.push(db);
    const bus = await createBus(config.bus, {
      onError: (err, context) =>
        log.warn({ err: (err as Error)?.message, ...context }, 'bus delivery problem'),
      onConnectionEvent: (event, detail) => log.info({ event, detail }, 'bus connection'),
    });
    opened.push(bus);
    const coordination = await createCoordination(config.redis);
    opened.push(coordination);
    const docstore = await createDocumentStore(config, db);
    opened.push(docstore);
    const metrics = createMetricsWriter(config.metrics, db, (err, lost) =>
      log.error({ err: (err as Error)?.message, lost }, 'metrics write failed'),
    );
    log.info(
      {
        bus: bus.kind,
        queue: config.redis.adapter,
        docstore: docstore.kind,
        metrics: metrics.kind,
        database: db.kind,
      },
      'adapters ready',
    );
    return {
      config,
      db,
      bus,
      coordination,
      docstore,
      metrics,
      // Reverse order of opening: consumers stop before the stores they write to.
      close: async () => {
        await bus.close();
        await metrics.close();
        await docstore.close();
        await coordination.close();
        await db.close();
      },
    };
  } catch (error) {
    for (const o of opened.reverse()) await o.close().catch(() => undefined);
    throw error;
  }
}
