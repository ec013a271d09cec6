import { z } from 'zod';
import { Envelope, newEnvelope } from './envelope';
import { isMessageType, MESSAGES, MessageType, PayloadOf } from './registry';

/** A message that does not match its contract. Consumers park it; publishers refuse it. */
export class MessageValidationError extends Error {
  override readonly name = 'MessageValidationError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

function fail(what: string, error: z.ZodError): never {
  const issues = describeIssues(error);
  throw new MessageValidationError(
    `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

export interface Addressed<T extends MessageType = MessageType> {
  envelope: Envelope<PayloadOf<T>>;
  exchange: string;
  routingKey: string;
}

/** Builds and validates a message ready to publish: envelope, exchange and routing key. */
export function buildMessage<T extends MessageType>(
  type: T,
  payload: PayloadOf<T>,
  meta: Parameters<typeof newEnvelope>[3] = {},
): Addressed<T> {
  const spec = MESSAGES[type];
  const parsed = spec.schema.safeParse(payload);
  if (!parsed.success) fail(`invalid ${type} payload`, parsed.error);
  const envelope = newEnvelope(type, spec.version, parsed.data as PayloadOf<T>, meta);
  return {
    envelope,
    exchange: spec.exchange,
    routingKey: (spec.routingKey as (p: unknown) => string)(parsed.data),
  };
}

/** Re-addresses an already built envelope (e.g. from the outbox), validating it again. */
export function addressEnvelope(raw: unknown): Addressed {
  const envelope = parseEnvelope(raw);
  const spec = MESSAGES[envelope.type as MessageType];
  return {
    envelope,
    exchange: spec.exchange,
    routingKey: (spec.routingKey as (p: unknown) => string)(envelope.payload),
  };
}

/** Validates a consumed message: the envelope, a known type, an accepted version, its payload. */
export function parseEnvelope(raw: unknown): Envelope<PayloadOf<MessageType>> {
  const env = Envelope.safeParse(raw);
  if (!env.success) fail('invalid envelope', env.error);
  const { type, version } = env.data;
  if (!isMessageType(type)) throw new MessageValidationError(`unknown message type "${type}"`);
  const spec = MESSAGES[type];
  if (!spec.accepts.includes(version)) {
    throw new MessageValidationError(
      `${type} version ${version} not accepted (accepts ${spec.accepts.join(', ')})`,
    );
  }
  const payload = spec.schema.safeParse(env.data.payload);
  if (!payload.success) fail(`invalid ${type} payload`, payload.error);
  return { ...env.data, payload: payload.data } as Envelope<PayloadOf<MessageType>>;
}
