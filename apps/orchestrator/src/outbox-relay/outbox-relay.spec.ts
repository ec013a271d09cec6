import { randomUUID } from 'node:crypto';
import { InProcessBus, RabbitMqBus, type MessageBus } from '@verdict/bus';
import { createLogger } from '@verdict/config';
import { buildMessage, type Envelope } from '@verdict/contracts';
import { ExecutionRepository, Migrator, OutboxRepository, type SqlDatabase } from '@verdict/db';
import { describeWithServer, freshPglite, seedSuite, uniqueName, waitFor } from '@verdict/testing';
import { OutboxRelay } from './outbox-relay';

const log = createLogger('silent');
const config = { parallel: true, workers: 1, timeout: 60_000, retries: 0, dryRun: false, debug: false };

async function queueExecution(db: SqlDatabase): Promise<Envelope> {
  const { ws, suite } = await seedSuite(db);
  const id = randomUUID();
  const { envelope } = buildMessage(
    'request.new',
    {
      executionId: id,
      suiteId: suite.id,
      userId: null,
      priority: 5,
      config: {},
      requestedAt: new Date().toISOString(),
    },
    { workspaceId: ws.id },
  );
  await db.transaction((tx) =>
    new ExecutionRepository(tx).create(
      { id, workspaceId: ws.id, suiteId: suite.id, trigger: { type: 'manual', source: 'test' }, config },
      [envelope],
    ),
  );
  return envelope;
}

/** A bus whose broker is "down" until switched back on. */
function flakyBus(inner: MessageBus): MessageBus & { down: boolean } {
  const bus = Object.create(inner) as MessageBus & { down: boolean };
  bus.down = true;
  bus.publishEnvelope = async (e) => {
    if (bus.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5672');
    return inner.publishEnvelope(e);
  };
  return bus;
}

describe('OutboxRelay', () => {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = await freshPglite();
    await new Migrator(db).migrate();
  });
  afterEach(() => db.close());

  it('publishes what an execution wrote to the outbox, once', async () => {
    const bus = new InProcessBus();
    const got: Envelope[] = [];
    await bus.subscribe({
      queue: 'q',
      bindings: [{ exchange: 'test.execution', pattern: 'request.new' }],
      handler: async (e) => void got.push(e),
    });
    const envelope = await queueExecution(db);
    const relay = new OutboxRelay(db, bus, log);
    expect(await relay.drain()).toBe(1);
    expect(await relay.drain()).toBe(0);
    await waitFor(() => got.length === 1);
    expect(got[0]).toEqual(envelope);
    expect(await new OutboxRepository(db).countPending()).toBe(0);
    await bus.close();
  });

  it('keeps messages while the broker is down and sends them when it is back', async () => {
    const inner = new InProcessBus();
    const got: string[] = [];
    await inner.subscribe({
      queue: 'q',
      bindings: [{ exchange: 'test.execution', pattern: '#' }],
      handler: async (e) => void got.push(e.id),
    });
    const bus = flakyBus(inner);
    const first = await queueExecution(db);
    const second = await queueExecution(db);
    const relay = new OutboxRelay(db, bus, log, { intervalMs: 20 });
    relay.start();
    await waitFor(
      async () =>
        (await db.query<{ attempts: number }>('SELECT max(attempts)::int AS attempts FROM outbox')).rows[0]
          .attempts >= 2,
      5000,
      'failed attempts',
    );
    expect(got).toEqual([]);
    const { rows } = await db.query<{ last_error: string }>('SELECT last_error FROM outbox WHERE id = $1', [
      first.id,
    ]);
    expect(rows[0].last_error).toContain('ECONNREFUSED');
    bus.down = false;
    await waitFor(() => got.length === 2, 5000, 'both published');
    expect(got).toEqual([first.id, second.id]);
    await relay.stop();
    expect(await new OutboxRepository(db).countPending()).toBe(0);
    await inner.close();
  });
});

describeWithServer('rabbitmq', 'OutboxRelay on RabbitMQ', (url) => {
  it('publishes with confirms through the real broker', async () => {
    const db = await freshPglite();
    await new Migrator(db).migrate();
    const namespace = `${uniqueName('outbox')}.`;
    const bus = await RabbitMqBus.connect({ url, namespace });
    const got: string[] = [];
    await bus.subscribe({
      queue: 'requests',
      bindings: [{ exchange: 'test.execution', pattern: 'request.new' }],
      handler: async (e) => void got.push(e.id),
    });
    const envelope = await queueExecution(db);
    await new OutboxRelay(db, bus, log).drain();
    await waitFor(() => got.length === 1);
    expect(got).toEqual([envelope.id]);
    await bus.deleteDeclaredQueues();
    await bus.close();
    await db.close();
  });
});
