import { UnavailableError } from '@verdict/contracts';

export class DatabaseUnreachableError extends UnavailableError {
  constructor(where: string, attempts: number, cause: unknown) {
    super(
      `Database at ${where} is unreachable after ${attempts} attempt(s): ${(cause as Error)?.message ?? cause}. ` +
        'Check that PostgreSQL is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database.',
      { where, attempts },
    );
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}
