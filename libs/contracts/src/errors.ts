/**
 * Typed domain errors. HTTP maps them to problem+json once; the bus maps them to
 * retry-or-park decisions once. Handlers decide by class, never by message text.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
/** The input is wrong; retrying the same input will fail the same way. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, 'validation_failed', { ...details, ...(field ? { field } : {}) });
  }
}
export class NotFoundError extends DomainError {
  constructor(resource: string, id: string) {
    super(`${resource} ${id} not found`, 'not_found', { resource, id });
  }
}
export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'conflict', details);
  }
}
/** Never worth retrying: a message handler throwing this is parked at once. */
export class UnrecoverableError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'unrecoverable', details);
  }
}
/** A dependency (database, broker, Redis…) is unreachable. */
export class UnavailableError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'unavailable', details);
  }
}
/** Nobody is signed in, or the credentials are not (or no longer) valid. */
export class UnauthorizedError extends DomainError {
  constructor(message = 'sign in: send Authorization: Bearer <session token or API key>') {
    super(message, 'unauthorized');
  }
}
/** Signed in, but this is not theirs to do. */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(message, 'forbidden');
  }
}
/** Too many attempts in the window: try again after retryAfterS seconds. */
export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message, 'rate_limited', { retryAfterS });
  }
}
