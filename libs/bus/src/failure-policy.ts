import { MessageValidationError, UnrecoverableError, ValidationError } from '@verdict/contracts';

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'park'; reason: string };

/**
 * One place decides what a failed delivery becomes, for every adapter: errors that cannot
 * succeed on retry are parked at once; others are retried after growing delays, then parked.
 */
export function decideOnFailure(
  error: unknown,
  attempt: number,
  maxRetries: number,
  delaysMs: number[],
): FailureDecision {
  const reason = describeError(error);
  if (
    error instanceof MessageValidationError ||
    error instanceof UnrecoverableError ||
    error instanceof ValidationError
  ) {
    return { action: 'park', reason };
  }
  if (attempt > maxRetries)
    return { action: 'park', reason: `${reason} (gave up after ${attempt} attempts)` };
  const delayMs = delaysMs.length ? delaysMs[Math.min(attempt - 1, delaysMs.length - 1)] : 0;
  return { action: 'retry', delayMs };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
