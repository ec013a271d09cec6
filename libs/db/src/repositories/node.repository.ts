import { createHash } from 'node:crypto';
import type { NodeStatus, WorkerNode } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, isoOrNull } from './rows';

type Row = Record<string, unknown>;
const toNode = (r: Row): WorkerNode => ({
  id: String(r.id),
  name: String(r.name),
  poolId: (r.pool_id as string) ?? null,
  pool: String(r.pool_name ?? 'default'),
  region: String(r.region),
  ipAddress: (r.ip_address as string) ?? null,
  description: (r.description as string) ?? null,
  labels: (r.labels as Record<string, string>) ?? {},
  status: r.status as NodeStatus,
  lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
  currentJob: (r.current_job as string) ?? null,
  version: (r.version as string) ?? null,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** SHA-256 (hex) of a node's API key: all that is stored of it. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

const EVENT: Record<NodeStatus, string> = {
  ACTIVE: 'CAME_ONLINE',
  INACTIVE: 'WENT_INACTIVE',
  OFFLINE: 'WENT_OFFLINE',
  ERROR: 'ERRORED',
};

export class NodeRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Registers a node (or finds it by its key) and marks it ACTIVE, logging the transition. */
  async register(n: {
    apiKey: string;
    name: string;
    pool: string;
    labels: Record<string, string>;
    version?: string;
  }): Promise<WorkerNode> {
    await this.db.query(`INSERT INTO pools (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [n.pool]);
    const { rows } = await this.db.query(
      `INSERT INTO nodes (name, pool_id, labels, api_key_hash, version)
       SELECT $1, id, $3, $4, $5 FROM pools WHERE name = $2
       ON CONFLICT (api_key_hash) DO UPDATE SET name = EXCLUDED.name, pool_id = EXCLUDED.pool_id, labels = EXCLUDED.labels, version = EXCLUDED.version
       RETURNING id, (xmax = 0) AS created`,
      [n.name, n.pool, JSON.stringify(n.labels), hashApiKey(n.apiKey), n.version ?? null],
    );
    const id = String(rows[0].id);
    if (rows[0].created) await this.logEvent(id, 'REGISTERED', null, 'INACTIVE', 'registered', 'system');
    await this.transition(id, 'ACTIVE', 'worker started', 'heartbeat');
    return (await this.get(id))!;
  }

  async get(id: string): Promise<WorkerNode | null> {
    const { rows } = await this.db.query(
      `SELECT n.*, p.name AS pool_name FROM nodes n LEFT JOIN pools p ON p.id = n.pool_id WHERE n.id = $1`,
      [id],
    );
    return rows[0] ? toNode(rows[0]) : null;
  }

  async heartbeat(
    id: string,
    h: { currentJob: string | null; metrics: Record<string, number> },
  ): Promise<void> {
    await this.db.query(`UPDATE nodes SET last_heartbeat_at = now(), current_job = $2 WHERE id = $1`, [
      id,
      h.currentJob,
    ]);
    await this.db.query(
      `INSERT INTO node_heartbeats (node_id, status, current_job, metrics) SELECT id, status, $2, $3 FROM nodes WHERE id = $1`,
      [id, h.currentJob, JSON.stringify(h.metrics)],
    );
  }

  /** Changes a node's status, with a lifecycle row, only when it is a change. Returns whether it was. */
  async transition(
    id: string,
    to: NodeStatus,
    reason: string,
    by: 'heartbeat' | 'manual' | 'system',
  ): Promise<boolean> {
    const { rows } = await this.db.query<{ previous: NodeStatus }>(
      `UPDATE nodes n SET status = $2, last_heartbeat_at = CASE WHEN $2 = 'ACTIVE' THEN now() ELSE last_heartbeat_at END
       FROM (SELECT status AS previous FROM nodes WHERE id = $1 FOR UPDATE) old
       WHERE n.id = $1 AND n.status <> $2 RETURNING old.previous`,
      [id, to],
    );
    if (!rows.length) return false;
    await this.logEvent(id, EVENT[to], rows[0].previous, to, reason, by);
    return true;
  }

  /** ACTIVE nodes whose last heartbeat is older than `staleMs`. */
  async stale(staleMs: number): Promise<WorkerNode[]> {
    const { rows } = await this.db.query(
      `SELECT n.*, p.name AS pool_name FROM nodes n LEFT JOIN pools p ON p.id = n.pool_id
       WHERE n.status = 'ACTIVE' AND n.last_heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [staleMs],
    );
    return rows.map(toNode);
  }

  async lifecycle(
    id: string,
  ): Promise<
    { eventType: string; previousStatus: string | null; newStatus: string; reason: string | null }[]
  > {
    const { rows } = await this.db.query<{
      event_type: string;
      previous_status: string | null;
      new_status: string;
      reason: string | null;
    }>(
      'SELECT event_type, previous_status, new_status, reason FROM node_lifecycle_logs WHERE node_id = $1 ORDER BY created_at, id',
      [id],
    );
    return rows.map((r) => ({
      eventType: r.event_type,
      previousStatus: r.previous_status,
      newStatus: r.new_status,
      reason: r.reason,
    }));
  }

  private async logEvent(
    id: string,
    event: string,
    from: string | null,
    to: string,
    reason: string,
    by: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO node_lifecycle_logs (node_id, event_type, previous_status, new_status, reason, triggered_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())`,
      [id, event, from, to, reason, by],
    );
  }
}
