import {
  addressEnvelope,
  buildMessage,
  type Envelope,
  type ExchangeName,
  type MessageType,
  parseEnvelope,
  type PayloadOf,
} from '@verdict/contracts';
import { decideOnFailure } from '../failure-policy';
import type {
  MessageBus,
  ParkedMessage,
  PublishMeta,
  SubscribeOptions,
  Subscription,
} from '../message-bus.port';
import { topicMatches } from '../topic-pattern';

interface QueuedMessage {
  exchange: string;
  routingKey: string;
  body: string;
  attempt: number;
  redelivered: boolean;
}

interface Consumer {
  options: SubscribeOptions;
  prefetch: number;
  maxRetries: number;
  inFlight: Set<Promise<void>>;
  active: boolean;
}

interface LocalQueue {
  name: string;
  bindings: { exchange: string; pattern: string }[];
  ready: QueuedMessage[];
  consumers: Consumer[];
  next: number;
  parked: ParkedMessage[];
}

export interface InProcessBusOptions {
  prefetch?: number;
  maxRetries?: number;
  retryDelaysMs?: number[];
  onError?: (error: unknown, context: Record<string, unknown>) => void;
}

/**
 * The embedded bus: RabbitMQ's topic routing and delivery guarantees inside one process.
 * Queues outlive their consumers (like durable queues), every queue bound to a key gets its
 * own copy, consumers of a queue compete, and failures are retried then parked exactly as
 * the RabbitMQ adapter does (both share failure-policy.ts and the same contract suite).
 */
export class InProcessBus implements MessageBus {
  readonly kind = 'in-process' as const;
  private readonly queues = new Map<string, LocalQueue>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: InProcessBusOptions = {}) {}

  async publish<T extends MessageType>(
    type: T,
    payload: PayloadOf<T>,
    meta: PublishMeta = {},
  ): Promise<Envelope<PayloadOf<T>>> {
    const m = buildMessage(type, payload, meta);
    this.route(m.exchange, m.routingKey, JSON.stringify(m.envelope));
    return m.envelope;
  }

  async publishEnvelope(envelope: Envelope): Promise<void> {
    const m = addressEnvelope(envelope);
    this.route(m.exchange, m.routingKey, JSON.stringify(m.envelope));
  }

  async publishRaw(exchange: ExchangeName, routingKey: string, body: unknown): Promise<void> {
    this.route(exchange, routingKey, typeof body === 'string' ? body : JSON.stringify(body));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const q = this.queue(options.queue);
    for (const b of options.bindings) {
      if (!q.bindings.some((x) => x.exchange === b.exchange && x.pattern === b.pattern))
        q.bindings.push({ ...b });
    }
    const consumer: Consumer = {
      options,
      prefetch: options.prefetch ?? this.opts.prefetch ?? 32,
      maxRetries: options.maxRetries ?? this.opts.maxRetries ?? 3,
      inFlight: new Set(),
      active: true,
    };
    q.consumers.push(consumer);
    this.dispatch(q);
    return {
      queue: options.queue,
      cancel: async () => {
        consumer.active = false;
        q.consumers = q.consumers.filter((c) => c !== consumer);
        await Promise.allSettled([...consumer.inFlight]);
        this.dispatch(q);
      },
    };
  }

  async takeParked(queue: string, max = 100): Promise<ParkedMessage[]> {
    const q = this.queues.get(queue);
    return q ? q.parked.splice(0, max) : [];
  }

  async check(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const inFlight: Promise<void>[] = [];
    for (const q of this.queues.values()) {
      for (const c of q.consumers) {
        c.active = false;
        inFlight.push(...c.inFlight);
      }
    }
    await Promise.allSettled(inFlight);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The in-process bus is closed');
  }

  private queue(name: string): LocalQueue {
    let q = this.queues.get(name);
    if (!q) {
      q = { name, bindings: [], ready: [], consumers: [], next: 0, parked: [] };
      this.queues.set(name, q);
    }
    return q;
  }

  private route(exchange: string, routingKey: string, body: string): void {
    this.assertOpen();
    for (const q of this.queues.values()) {
      if (q.bindings.some((b) => b.exchange === exchange && topicMatches(b.pattern, routingKey))) {
        q.ready.push({ exchange, routingKey, body, attempt: 1, redelivered: false });
        this.dispatch(q);
      }
    }
  }

  private dispatch(q: LocalQueue): void {
    while (q.ready.length && !this.closed) {
      const consumer = this.pickConsumer(q);
      if (!consumer) return;
      const msg = q.ready.shift()!;
      const run = this.deliver(q, consumer, msg);
      consumer.inFlight.add(run);
      void run.finally(() => {
        consumer.inFlight.delete(run);
        this.dispatch(q);
      });
    }
  }

  /** Round-robin over consumers with room under their prefetch. */
  private pickConsumer(q: LocalQueue): Consumer | undefined {
    for (let i = 0; i < q.consumers.length; i++) {
      const c = q.consumers[(q.next + i) % q.consumers.length];
      if (c.active && c.inFlight.size < c.prefetch) {
        q.next = (q.next + i + 1) % q.consumers.length;
        return c;
      }
    }
    return undefined;
  }

  private async deliver(q: LocalQueue, consumer: Consumer, msg: QueuedMessage): Promise<void> {
    // Yield first so a publisher never runs its subscribers' handlers synchronously.
    await Promise.resolve();
    let body: unknown;
    try {
      body = JSON.parse(msg.body);
      const envelope = parseEnvelope(body);
      await consumer.options.handler(envelope, {
        exchange: msg.exchange,
        routingKey: msg.routingKey,
        attempt: msg.attempt,
        redelivered: msg.redelivered,
      });
    } catch (error) {
      const decision = decideOnFailure(
        error,
        msg.attempt,
        consumer.maxRetries,
        this.opts.retryDelaysMs ?? [1000, 5000, 30000],
      );
      if (decision.action === 'park') {
        q.parked.push({
          queue: q.name,
          exchange: msg.exchange,
          routingKey: msg.routingKey,
          body: body ?? msg.body,
          error: decision.reason,
          attempts: msg.attempt,
          parkedAt: new Date().toISOString(),
        });
        this.opts.onError?.(error, { queue: q.name, routingKey: msg.routingKey, parked: true });
      } else {
        this.opts.onError?.(error, {
          queue: q.name,
          routingKey: msg.routingKey,
          retryInMs: decision.delayMs,
        });
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.closed) return;
          q.ready.push({ ...msg, attempt: msg.attempt + 1, redelivered: true });
          this.dispatch(q);
        }, decision.delayMs);
        this.timers.add(timer);
      }
    }
  }
}
