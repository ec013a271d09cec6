import type { Envelope, ExchangeName, MessageType, PayloadOf } from '@verdict/contracts';

export interface Binding {
  exchange: ExchangeName;
  /** Topic pattern: words separated by ".", "*" matches one word, "#" zero or more. */
  pattern: string;
}

export interface DeliveryInfo {
  exchange: string;
  routingKey: string;
  /** 1 on first delivery, then 2, 3… for each retry. */
  attempt: number;
  /** The broker delivered this copy before (a consumer died or a connection dropped before the ack). */
  redelivered: boolean;
}

export type MessageHandler = (envelope: Envelope, delivery: DeliveryInfo) => Promise<void>;

export interface SubscribeOptions {
  /** Durable queue name; consumers of the same queue compete, each queue gets its own copy. */
  queue: string;
  bindings: Binding[];
  handler: MessageHandler;
  /** Handlers running at once for this subscription. */
  prefetch?: number;
  /** Retries after the first failure before the message is parked. */
  maxRetries?: number;
}

export interface Subscription {
  readonly queue: string;
  /** Stops taking messages and waits for the handlers in flight. */
  cancel(): Promise<void>;
}

export interface ParkedMessage {
  queue: string;
  exchange: string;
  routingKey: string;
  /** The message as it arrived (it may not be a valid envelope: that can be why it is parked). */
  body: unknown;
  error: string;
  attempts: number;
  parkedAt: string;
}

export interface PublishMeta {
  workspaceId?: string | null;
  correlationId?: string;
  id?: string;
}

/**
 * The message bus port. At-least-once: a message is acked only after its handler resolves;
 * a handler that throws is retried after delays, then parked with its error; a message that
 * fails validation is parked at once. Handlers must be idempotent (envelope.id).
 */
export interface MessageBus {
  readonly kind: 'rabbitmq' | 'in-process';
  /** Validates, wraps in an envelope and publishes; resolves once the broker has it. */
  publish<T extends MessageType>(
    type: T,
    payload: PayloadOf<T>,
    meta?: PublishMeta,
  ): Promise<Envelope<PayloadOf<T>>>;
  /** Publishes an envelope built earlier (the outbox relay), validating it again. */
  publishEnvelope(envelope: Envelope): Promise<void>;
  /** Publishes bytes as they are, unvalidated: for replay tools and tests of the consumer's checks. */
  publishRaw(exchange: ExchangeName, routingKey: string, body: unknown): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Removes and returns up to `max` parked messages of a queue. */
  takeParked(queue: string, max?: number): Promise<ParkedMessage[]>;
  /** Resolves when the broker answers; throws naming what is wrong otherwise (readiness checks). */
  check(): Promise<void>;
  /** Graceful: stop consuming, drain handlers in flight, flush publishes, disconnect. */
  close(): Promise<void>;
}
