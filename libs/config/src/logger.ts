import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs (pino); the execution id travels as correlationId in child loggers. */
export function createLogger(level: string, name = 'verdict'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
