import { z } from 'zod';
import {
  ExecutionCancel,
  ExecutionCompleted,
  ExecutionStarted,
  LogBatch,
  NodeOffline,
  NodeOnline,
  Notify,
  RequestNew,
  ResultBatch,
} from './payloads';

export const EXCHANGES = ['test.execution', 'test.results', 'test.logs', 'notifications', 'fleet'] as const;
export type ExchangeName = (typeof EXCHANGES)[number];

interface MessageSpec<S extends z.ZodType> {
  exchange: ExchangeName;
  /** Current payload version published. */
  version: number;
  /** Versions a consumer still accepts, during a rolling upgrade. */
  accepts: readonly number[];
  schema: S;
  routingKey: (payload: z.infer<S>) => string;
}

function spec<S extends z.ZodType>(s: MessageSpec<S>): MessageSpec<S> {
  return s;
}

/** Every message of ARCHITECTURE.md's exchanges: its exchange, routing key and payload schema. */
export const MESSAGES = {
  'request.new': spec({
    exchange: 'test.execution',
    version: 1,
    accepts: [1],
    schema: RequestNew,
    routingKey: () => 'request.new',
  }),
  'execution.started': spec({
    exchange: 'test.execution',
    version: 1,
    accepts: [1],
    schema: ExecutionStarted,
    routingKey: () => 'execution.started',
  }),
  'execution.cancel': spec({
    exchange: 'test.execution',
    version: 1,
    accepts: [1],
    schema: ExecutionCancel,
    routingKey: () => 'execution.cancel',
  }),
  'execution.completed': spec({
    exchange: 'test.execution',
    version: 1,
    accepts: [1],
    schema: ExecutionCompleted,
    routingKey: () => 'execution.completed',
  }),
  'result.batch': spec({
    exchange: 'test.results',
    version: 1,
    accepts: [1],
    schema: ResultBatch,
    routingKey: (p) => `result.${p.status}`,
  }),
  'log.batch': spec({
    exchange: 'test.logs',
    version: 1,
    accepts: [1],
    schema: LogBatch,
    routingKey: (p) => `log.${p.level}`,
  }),
  notify: spec({
    exchange: 'notifications',
    version: 1,
    accepts: [1],
    schema: Notify,
    routingKey: (p) => `notify.${p.channel}`,
  }),
  'node.online': spec({
    exchange: 'fleet',
    version: 1,
    accepts: [1],
    schema: NodeOnline,
    routingKey: () => 'node.online',
  }),
  'node.offline': spec({
    exchange: 'fleet',
    version: 1,
    accepts: [1],
    schema: NodeOffline,
    routingKey: () => 'node.offline',
  }),
} as const;

export type MessageType = keyof typeof MESSAGES;
export type PayloadOf<T extends MessageType> = z.infer<(typeof MESSAGES)[T]['schema']>;

export function isMessageType(type: string): type is MessageType {
  return Object.prototype.hasOwnProperty.call(MESSAGES, type);
}
