// Messages/s on RabbitMQ: persistent 1 KiB messages published with confirms, consumed with manual ack.
// Usage: npm run bench:bus   (MESSAGES=20000 to change size)
import { randomUUID } from 'node:crypto';
import { RabbitMqBus } from '@verdict/bus';
import { BENCH, rate, report } from './bench-env';

const MESSAGES = Number(process.env.MESSAGES ?? 20_000);
const WINDOW = 500; // publishes awaiting their confirm at once

void (async () => {
  const namespace = `bench-${randomUUID().slice(0, 8)}.`;
  const bus = await RabbitMqBus.connect({ url: BENCH.amqpUrl, namespace, prefetch: 500 });
  const consumer = await RabbitMqBus.connect({ url: BENCH.amqpUrl, namespace, prefetch: 500 });
  let consumed = 0;
  let allConsumed!: () => void;
  const done = new Promise<void>((r) => (allConsumed = r));
  await consumer.subscribe({
    queue: 'bench',
    prefetch: 500,
    bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
    handler: async () => {
      if (++consumed === MESSAGES) allConsumed();
    },
  });
  // An envelope of ~1 KiB once serialised.
  const reason = 'x'.repeat(1024 - 330);
  const sample = JSON.stringify({
    id: randomUUID(),
    type: 'execution.cancel',
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    workspaceId: null,
    payload: { executionId: randomUUID(), reason, requestedBy: null },
  });

  const started = performance.now();
  for (let i = 0; i < MESSAGES; i += WINDOW) {
    await Promise.all(
      Array.from({ length: Math.min(WINDOW, MESSAGES - i) }, () =>
        bus.publish('execution.cancel', { executionId: randomUUID(), reason, requestedBy: null }),
      ),
    );
  }
  const publishMs = performance.now() - started;
  await done;
  const totalMs = performance.now() - started;
  report('bus: RabbitMQ persistent 1 KiB messages', [
    {
      phase: 'publish with confirms',
      messages: MESSAGES,
      bytes: sample.length,
      seconds: +(publishMs / 1000).toFixed(2),
      'msg/s': rate(MESSAGES, publishMs),
    },
    {
      phase: 'publish → consume + ack (end to end)',
      messages: MESSAGES,
      bytes: sample.length,
      seconds: +(totalMs / 1000).toFixed(2),
      'msg/s': rate(MESSAGES, totalMs),
    },
  ]);
  await bus.close();
  await consumer.deleteDeclaredQueues();
  await consumer.close();
})();
