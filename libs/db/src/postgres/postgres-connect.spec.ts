import net from 'node:net';
import { DatabaseUnreachableError } from '../errors';
import { PostgresDatabase } from './postgres-database';

describe('PostgresDatabase.connect', () => {
  it('retries with backoff and then names the host it could not reach', async () => {
    // A port nothing listens on: take a free one and close it.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const retries: number[] = [];
    const err = await PostgresDatabase.connect({
      url: `postgres://verdict:secret@127.0.0.1:${port}/verdict`,
      connectRetries: 2,
      connectTimeoutMs: 500,
      onRetry: (attempt) => retries.push(attempt),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DatabaseUnreachableError);
    expect(err.message).toContain(`127.0.0.1:${port}/verdict`);
    expect(err.message).toContain('after 3 attempt(s)');
    expect(err.message).not.toContain('secret');
    expect(retries).toEqual([1, 2]);
  });
});
