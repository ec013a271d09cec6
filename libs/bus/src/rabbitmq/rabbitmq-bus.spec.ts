import { busContract, describeWithServer, uniqueName } from '@verdict/testing';
import { RabbitMqBus } from './rabbitmq-bus';

describeWithServer('rabbitmq', 'RabbitMQ adapter', (url) => {
  busContract('rabbitmq', async () => {
    const namespace = `${uniqueName('t')}.`;
    const make = () =>
      RabbitMqBus.connect({ url, namespace, retryDelaysMs: [50, 100], maxRetries: 2, connectRetries: 1 });
    const bus = await make();
    const peers: RabbitMqBus[] = [];
    return {
      bus,
      peer: async () => {
        const p = await make();
        peers.push(p);
        return p;
      },
      cleanup: async () => {
        await Promise.all(peers.map((p) => p.close()));
        await bus.deleteDeclaredQueues();
        for (const p of peers) void p;
        await bus.close();
      },
    };
  });
});
