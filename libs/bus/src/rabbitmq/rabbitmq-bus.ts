import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Options,
} from 'amqplib';
import {
  addressEnvelope,
  buildMessage,
  EXCHANGES,
  UnavailableError,
  type Envelope,
  type ExchangeName,
  type MessageType,
  parseEnvelope,
  type PayloadOf,
} from '@verdict/contracts';
import { decideOnFailure, describeError } from '../failure-policy';
import type {
  MessageBus,
  ParkedMessage,
  PublishMeta,
  SubscribeOptions,
  Subscription,
} from '../message-bus.port';

export interface RabbitMqBusOptions {
  url: string;
  /** Prefix for every exchange and queue name: lets test runs and tenants share a broker. */
  namespace?: string;
  prefetch?: number;
  maxRetries?: number;
  retryDelaysMs?: number[];
  /** How long a publish waits for a lost connection to come back before it fails. */
  publishTimeoutMs?: number;
  connectRetries?: number;
  onError?: (error: unknown, context: Record<string, unknown>) => void;
  onConnectionEvent?: (event: 'connected' | 'lost' | 'reconnected', detail?: string) => void;
}

const H = {
  attempt: 'x-verdict-attempt',
  exchange: 'x-verdict-exchange',
  routingKey: 'x-verdict-routing-key',
  error: 'x-verdict-error',
  parkedAt: 'x-verdict-parked-at',
} as const;

interface ConsumerState {
  options: SubscribeOptions;
  channel?: Channel;
  consumerTag?: string;
  inFlight: Set<Promise<void>>;
  cancelled: boolean;
}

/**
 * RabbitMQ adapter: durable topic exchanges, durable queues, persistent messages, publisher
 * confirms, prefetch, manual ack after the handler resolves, delayed retries through TTL
 * queues that dead-letter back, a parking queue per consumer queue (also its dead-letter
 * target), reconnect with backoff, and a close() that drains handlers in flight.
 */
export class RabbitMqBus implements MessageBus {
  readonly kind = 'rabbitmq' as const;
  private connection?: ChannelModel;
  private publisher?: ConfirmChannel;
  private ready!: Promise<void>;
  private markReady!: () => void;
  private readonly consumers = new Set<ConsumerState>();
  private readonly declaredQueues = new Set<string>();
  private closing = false;
  private reconnecting = false;
  private readonly ns: string;
  private readonly delays: number[];

  private constructor(private readonly opts: RabbitMqBusOptions) {
    this.ns = opts.namespace ?? '';
    this.delays = opts.retryDelaysMs?.length ? opts.retryDelaysMs : [1000, 5000, 30000];
    this.resetReady();
  }

  static async connect(opts: RabbitMqBusOptions): Promise<RabbitMqBus> {
    const bus = new RabbitMqBus(opts);
    const retries = opts.connectRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        await bus.establish();
        opts.onConnectionEvent?.('connected');
        return bus;
      } catch (error) {
        if (attempt >= retries) {
          throw new UnavailableError(
            `RabbitMQ at ${hostOf(opts.url)} is unreachable: ${describeError(error)}`,
            { url: hostOf(opts.url) },
          );
        }
        await sleep(Math.min(5000, 200 * 2 ** attempt));
      }
    }
  }

  async publish<T extends MessageType>(
    type: T,
    payload: PayloadOf<T>,
    meta: PublishMeta = {},
  ): Promise<Envelope<PayloadOf<T>>> {
    const m = buildMessage(type, payload, meta);
    await this.send(
      this.ns + m.exchange,
      m.routingKey,
      Buffer.from(JSON.stringify(m.envelope)),
      this.messageOptions(m.envelope),
    );
    return m.envelope;
  }

  async publishEnvelope(envelope: Envelope): Promise<void> {
    const m = addressEnvelope(envelope);
    await this.send(
      this.ns + m.exchange,
      m.routingKey,
      Buffer.from(JSON.stringify(m.envelope)),
      this.messageOptions(m.envelope),
    );
  }

  async publishRaw(exchange: ExchangeName, routingKey: string, body: unknown): Promise<void> {
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    await this.send(this.ns + exchange, routingKey, content, {
      persistent: true,
      contentType: 'application/json',
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closing) throw new Error('The RabbitMQ bus is closing');
    const state: ConsumerState = { options, inFlight: new Set(), cancelled: false };
    this.consumers.add(state);
    await this.ready;
    await this.startConsumer(state);
    return {
      queue: options.queue,
      cancel: async () => {
        state.cancelled = true;
        this.consumers.delete(state);
        await this.stopConsumer(state);
      },
    };
  }

  async check(): Promise<void> {
    const conn = this.connection;
    if (!conn)
      throw new UnavailableError(`not connected to RabbitMQ at ${hostOf(this.opts.url)} (reconnecting)`);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.checkExchange(this.ns + EXCHANGES[0]);
    await ch.close();
  }

  async takeParked(queue: string, max = 100): Promise<ParkedMessage[]> {
    await this.ready;
    const ch = await this.connection!.createChannel();
    // A missing queue closes the channel with 404; without a listener that error would close the connection.
    ch.on('error', () => undefined);
    const out: ParkedMessage[] = [];
    try {
      const parkedQueue = `${this.ns}${queue}.parked`;
      const exists = await ch.checkQueue(parkedQueue).then(
        () => true,
        () => false,
      );
      if (!exists) return [];
      while (out.length < max) {
        const msg = await ch.get(parkedQueue, { noAck: false });
        if (!msg) break;
        const headers = msg.properties.headers ?? {};
        const deaths = headers['x-death'] as { count?: number }[] | undefined;
        out.push({
          queue,
          exchange: String(headers[H.exchange] ?? msg.fields.exchange).replace(this.ns, ''),
          routingKey: String(headers[H.routingKey] ?? msg.fields.routingKey),
          body: tryJson(msg.content),
          error: String(headers[H.error] ?? (deaths ? 'rejected by the broker (dead-lettered)' : 'unknown')),
          attempts: Number(headers[H.attempt] ?? 1),
          parkedAt: String(headers[H.parkedAt] ?? new Date().toISOString()),
        });
        ch.ack(msg);
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.allSettled([...this.consumers].map((c) => this.stopConsumer(c)));
    this.consumers.clear();
    await this.publisher?.waitForConfirms().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  /** Deletes every queue this instance declared (with its retry and parking queues). For tests. */
  async deleteDeclaredQueues(): Promise<void> {
    await this.ready;
    const ch = await this.connection!.createChannel();
    ch.on('error', () => undefined);
    for (const q of this.declaredQueues) await ch.deleteQueue(q).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }

  // ── connection ────────────────────────────────────────────────────────────────────────

  private resetReady(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  private async establish(): Promise<void> {
    const url = new URL(this.opts.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '10');
    const connection = await amqp.connect(url.toString());
    connection.on('error', (err) => this.opts.onError?.(err, { where: 'connection' }));
    connection.on('close', (err) => this.onConnectionLost(connection, err));
    const publisher = await connection.createConfirmChannel();
    publisher.on('error', (err) => this.opts.onError?.(err, { where: 'publisher' }));
    publisher.on('close', () => {
      if (this.publisher === publisher && !this.closing && this.connection === connection)
        void this.replacePublisher(connection);
    });
    for (const ex of EXCHANGES) await publisher.assertExchange(this.ns + ex, 'topic', { durable: true });
    await publisher.assertExchange(this.dlx(), 'direct', { durable: true });
    this.connection = connection;
    this.publisher = publisher;
    for (const c of this.consumers) if (!c.cancelled) await this.startConsumer(c);
    this.markReady();
  }

  private async replacePublisher(connection: ChannelModel): Promise<void> {
    try {
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', (err) => this.opts.onError?.(err, { where: 'publisher' }));
      this.publisher = publisher;
    } catch (error) {
      this.opts.onError?.(error, { where: 'publisher-replace' });
    }
  }

  private onConnectionLost(connection: ChannelModel, err?: Error): void {
    if (this.closing || this.connection !== connection || this.reconnecting) return;
    this.reconnecting = true;
    this.connection = undefined;
    this.publisher = undefined;
    this.resetReady();
    this.opts.onConnectionEvent?.('lost', err?.message);
    void (async () => {
      for (let attempt = 0; !this.closing; attempt++) {
        await sleep(Math.min(10_000, 100 * 2 ** Math.min(attempt, 7)));
        try {
          await this.establish();
          this.reconnecting = false;
          this.opts.onConnectionEvent?.('reconnected');
          return;
        } catch (error) {
          this.opts.onError?.(error, { where: 'reconnect', attempt });
        }
      }
    })();
  }

  // ── publishing ────────────────────────────────────────────────────────────────────────

  private messageOptions(envelope: Envelope): Options.Publish {
    return {
      persistent: true,
      contentType: 'application/json',
      messageId: envelope.id,
      correlationId: envelope.correlationId,
      type: envelope.type,
      timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
    };
  }

  /** Publishes and waits for the broker's confirm; across a reconnect it tries again until the timeout. */
  private async send(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    const deadline = Date.now() + (this.opts.publishTimeoutMs ?? 30_000);
    for (;;) {
      if (this.closing && !this.connection) throw new Error('The RabbitMQ bus is closed');
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new UnavailableError(`RabbitMQ did not confirm a publish to ${exchange} in time`);
      const ready = await readyWithin(this.ready, remaining);
      const ch = this.publisher;
      if (!ready || !ch) continue;
      try {
        await new Promise<void>((resolve, reject) => {
          // The confirm callback paces publishers: each waits for the broker's confirm.
          ch.publish(exchange, routingKey, content, options, (err) => (err ? reject(err) : resolve()));
        });
        return;
      } catch (error) {
        this.opts.onError?.(error, { where: 'publish', exchange, routingKey });
        if (this.closing) throw error;
        await sleep(50);
      }
    }
  }

  // ── consuming ─────────────────────────────────────────────────────────────────────────

  private dlx(): string {
    return `${this.ns}verdict.dlx`;
  }

  private async startConsumer(state: ConsumerState): Promise<void> {
    const conn = this.connection;
    if (!conn) return;
    const { options } = state;
    const queue = this.ns + options.queue;
    const ch = await conn.createChannel();
    ch.on('error', (err) => this.opts.onError?.(err, { where: 'consumer', queue }));
    ch.on('close', () => {
      // A channel closed by the broker while the connection lives (e.g. a channel error): start again.
      if (state.channel === ch && !state.cancelled && !this.closing && this.connection === conn) {
        state.channel = undefined;
        setTimeout(
          () =>
            void this.startConsumer(state).catch((e) =>
              this.opts.onError?.(e, { where: 'consumer-restart', queue }),
            ),
          100,
        );
      }
    });
    await ch.prefetch(options.prefetch ?? this.opts.prefetch ?? 32);
    await ch.assertQueue(`${queue}.parked`, { durable: true });
    await ch.bindQueue(`${queue}.parked`, this.dlx(), `${queue}.parked`);
    await ch.assertQueue(queue, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': this.dlx(), 'x-dead-letter-routing-key': `${queue}.parked` },
    });
    this.declaredQueues.add(queue).add(`${queue}.parked`);
    for (const delay of new Set(this.delays)) {
      const retryQueue = `${queue}.retry.${delay}`;
      await ch.assertQueue(retryQueue, {
        durable: true,
        arguments: {
          'x-message-ttl': delay,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': queue,
        },
      });
      this.declaredQueues.add(retryQueue);
    }
    for (const b of options.bindings) await ch.bindQueue(queue, this.ns + b.exchange, b.pattern);
    state.channel = ch;
    const { consumerTag } = await ch.consume(queue, (msg) => msg && this.onMessage(state, ch, queue, msg), {
      noAck: false,
    });
    state.consumerTag = consumerTag;
  }

  private async stopConsumer(state: ConsumerState): Promise<void> {
    const ch = state.channel;
    if (ch && state.consumerTag) await ch.cancel(state.consumerTag).catch(() => undefined);
    await Promise.allSettled([...state.inFlight]);
    state.channel = undefined;
    if (ch) await ch.close().catch(() => undefined);
  }

  private onMessage(state: ConsumerState, ch: Channel, queue: string, msg: ConsumeMessage): void {
    const run = this.handle(state, ch, queue, msg);
    state.inFlight.add(run);
    void run.finally(() => state.inFlight.delete(run));
  }

  private async handle(state: ConsumerState, ch: Channel, queue: string, msg: ConsumeMessage): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const attempt = Number(headers[H.attempt] ?? 1);
    const exchange = String(headers[H.exchange] ?? msg.fields.exchange);
    const routingKey = String(headers[H.routingKey] ?? msg.fields.routingKey);
    try {
      const envelope = parseEnvelope(JSON.parse(msg.content.toString('utf8')));
      await state.options.handler(envelope, {
        exchange: exchange.slice(this.ns.length),
        routingKey,
        attempt,
        redelivered: msg.fields.redelivered || attempt > 1,
      });
      safeAck(ch, msg);
    } catch (error) {
      const maxRetries = state.options.maxRetries ?? this.opts.maxRetries ?? 3;
      const decision = decideOnFailure(error, attempt, maxRetries, this.delays);
      const common = { ...headers, [H.exchange]: exchange, [H.routingKey]: routingKey };
      try {
        if (decision.action === 'retry') {
          this.opts.onError?.(error, { queue, routingKey, attempt, retryInMs: decision.delayMs });
          await this.send('', `${queue}.retry.${decision.delayMs}`, msg.content, {
            ...msg.properties,
            persistent: true,
            headers: { ...common, [H.attempt]: attempt + 1 },
          });
        } else {
          this.opts.onError?.(error, { queue, routingKey, attempt, parked: true });
          await this.send('', `${queue}.parked`, msg.content, {
            ...msg.properties,
            persistent: true,
            headers: {
              ...common,
              [H.attempt]: attempt,
              [H.error]: decision.reason.slice(0, 4000),
              [H.parkedAt]: new Date().toISOString(),
            },
          });
        }
        safeAck(ch, msg);
      } catch (moveError) {
        // Could not move it: hand it back so it is delivered again rather than lost.
        this.opts.onError?.(moveError, { queue, where: 'retry-or-park' });
        try {
          ch.nack(msg, false, true);
        } catch {
          /* channel gone: the broker redelivers unacked messages */
        }
      }
    }
  }
}

function safeAck(ch: Channel, msg: ConsumeMessage): void {
  try {
    ch.ack(msg);
  } catch {
    // The channel closed under us; the broker will redeliver, and handlers are idempotent.
  }
}

function tryJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return content.toString('utf8');
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5672}`;
  } catch {
    return '(invalid url)';
  }
}

/** Resolves true when ready settles first, false after ms; never leaves a timer behind. */
function readyWithin(ready: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void ready.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
