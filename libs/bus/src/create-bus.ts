import type { VerdictConfig } from '@verdict/config';
import { InProcessBus } from './in-process/in-process-bus';
import type { MessageBus } from './message-bus.port';
import { RabbitMqBus } from './rabbitmq/rabbitmq-bus';

export interface BusHooks {
  onError?: (error: unknown, context: Record<string, unknown>) => void;
  onConnectionEvent?: (event: 'connected' | 'lost' | 'reconnected', detail?: string) => void;
}

/** Builds the bus the config names: RabbitMQ when AMQP_URL is set, else the in-process bus. */
export async function createBus(config: VerdictConfig['bus'], hooks: BusHooks = {}): Promise<MessageBus> {
  if (config.adapter === 'rabbitmq') {
    return RabbitMqBus.connect({
      url: config.url,
      prefetch: config.prefetch,
      maxRetries: config.maxRetries,
      retryDelaysMs: config.retryDelaysMs,
      ...hooks,
    });
  }
  return new InProcessBus({
    prefetch: config.prefetch,
    maxRetries: config.maxRetries,
    retryDelaysMs: config.retryDelaysMs,
    onError: hooks.onError,
  });
}
