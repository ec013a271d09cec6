import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { describeWithServer, sleep, uniqueName, waitFor } from '@verdict/testing';
import { RabbitMqBus } from './rabbitmq-bus';

const run = promisify(execFile);
const rabbitmqctl = spawnSync('rabbitmqctl', ['--help'], { timeout: 10_000 }).error === undefined;

describeWithServer('rabbitmq', 'RabbitMQ adapter under failure', (url) => {
  const maybe = rabbitmqctl ? it : it.skip;

  maybe(
    'loses nothing when the server closes every connection mid-stream (rabbitmqctl close_all_connections)',
    async () => {
      const namespace = `${uniqueName('drop')}.`;
      const events: string[] = [];
      const options = {
        url,
        namespace,
        retryDelaysMs: [50],
        maxRetries: 5,
        onConnectionEvent: (e: string) => void events.push(e),
      };
      const publisher = await RabbitMqBus.connect(options);
      const consumer = await RabbitMqBus.connect(options);
      const queue = 'effects';
      const effects = new Set<string>();
      let handled = 0;
      await consumer.subscribe({
        queue,
        prefetch: 50,
        bindings: [{ exchange: 'test.execution', pattern: 'execution.cancel' }],
        handler: async (e) => {
          handled++;
          await sleep(1);
          effects.add(e.id); // idempotent effect, keyed by envelope id
        },
      });

      const total = 3000;
      const sent: string[] = [];
      const publishing = (async () => {
        for (let i = 0; i < total; i += 50) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(50, total - i) }, () =>
              publisher.publish('execution.cancel', {
                executionId: crypto.randomUUID(),
                reason: 'drop test',
                requestedBy: null,
              }),
            ),
          );
          sent.push(...batch.map((e) => e.id));
        }
      })();
      await waitFor(() => effects.size > 300, 20_000, 'the stream to be under way');
      await run('rabbitmqctl', ['close_all_connections', 'verdict failure test']);
      await publishing;
      await waitFor(() => effects.size === total, 60_000, `all ${total} effects`);

      expect(sent).toHaveLength(total);
      expect([...effects].sort()).toEqual([...sent].sort());
      expect(events.filter((e) => e === 'lost').length).toBeGreaterThanOrEqual(1);
      expect(events).toContain('reconnected');
      // Nothing left behind unacked or parked.
      const conn = await amqp.connect(url);
      const ch = await conn.createChannel();
      await waitFor(
        async () => (await ch.checkQueue(namespace + queue)).messageCount === 0,
        10_000,
        'queue drained',
      );
      expect((await ch.checkQueue(`${namespace}${queue}.parked`)).messageCount).toBe(0);
      await conn.close();
      // Redeliveries happen (at-least-once), the effect still counts each message once.
      expect(handled).toBeGreaterThanOrEqual(total);

      await publisher.close();
      await consumer.deleteDeclaredQueues();
      await consumer.close();
    },
    120_000,
  );
});
