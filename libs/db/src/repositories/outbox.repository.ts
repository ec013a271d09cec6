import type { Envelope } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';

export interface OutboxEntry {
  id: string;
  envelope: Envelope;
  attempts: number;
}

/** The transactional outbox: written with the change, published afterwards by a relay. */
export class OutboxRepository {
  constructor(private readonly db: SqlExecutor) {}

  async add(envelope: Envelope): Promise<void> {
    await this.db.query(
      'INSERT INTO outbox (id, type, envelope) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [envelope.id, envelope.type, JSON.stringify(envelope)],
    );
  }

  /** Oldest unpublished entries; SKIP LOCKED lets several relays share the work inside a transaction. */
  async pending(limit = 100): Promise<OutboxEntry[]> {
    const { rows } = await this.db.query<{ id: string; envelope: Envelope; attempts: number }>(
      `SELECT id, envelope, attempts FROM outbox WHERE published_at IS NULL
       ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, envelope: r.envelope, attempts: Number(r.attempts) }));
  }

  async markPublished(ids: string[]): Promise<void> {
    if (ids.length)
      await this.db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [ids]);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
      id,
      error.slice(0, 2000),
    ]);
  }

  async countPending(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    return Number(rows[0].n);
  }
}
