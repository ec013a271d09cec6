import { createHash } from 'node:crypto';
import type { Heartbeat, LifecycleLog, NodeStatus, Page, Pool, WorkerNode } from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, isoOrNull, num, selectPage, Where } from './rows';

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
    await new PoolRepository(this.db).ensure(n.pool);
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

  /** Nodes, by pool and status, by name. */
  async list(
    filter: { pool?: string; status?: NodeStatus },
    page: { limit: number; offset: number },
  ): Promise<Page<WorkerNode>> {
    const where = new Where().add('p.name = ?', filter.pool).add('n.status = ?', filter.status);
    return selectPage(
      this.db,
      {
        select: 'n.*, p.name AS pool_name',
        from: 'nodes n LEFT JOIN pools p ON p.id = n.pool_id',
        where,
        orderBy: 'n.name, n.id',
      },
      page,
      toNode,
    );
  }

  /** A node's heartbeats, newest first. */
  async heartbeats(nodeId: string, page: { limit: number; offset: number }): Promise<Page<Heartbeat>> {
    return selectPage(
      this.db,
      {
        select: '*',
        from: 'node_heartbeats',
        where: new Where().add('node_id = ?', nodeId),
        orderBy: 'created_at DESC, id',
      },
      page,
      (r) => ({
        id: String(r.id),
        nodeId: String(r.node_id),
        status: r.status as NodeStatus,
        configHash: (r.config_hash as string) ?? null,
        currentJob: (r.current_job as string) ?? null,
        errorMessage: (r.error_message as string) ?? null,
        metrics: r.metrics as Heartbeat['metrics'],
        createdAt: iso(r.created_at),
      }),
    );
  }

  /** Lifecycle rows (of one node, of one event type, since a time), oldest first. */
  async lifecycleLogs(
    filter: { nodeId?: string; eventType?: string; since?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<LifecycleLog>> {
    const where = new Where()
      .add('node_id = ?', filter.nodeId)
      .add('event_type = ?', filter.eventType)
      .add('created_at >= ?::timestamptz', filter.since);
    return selectPage(
      this.db,
      { select: '*', from: 'node_lifecycle_logs', where, orderBy: 'created_at, id' },
      page,
      (r) => ({
        id: String(r.id),
        nodeId: String(r.node_id),
        eventType: r.event_type as LifecycleLog['eventType'],
        previousStatus: (r.previous_status as NodeStatus) ?? null,
        newStatus: r.new_status as NodeStatus,
        reason: (r.reason as string) ?? null,
        triggeredBy: r.triggered_by as LifecycleLog['triggeredBy'],
        extraData: (r.extra_data as Record<string, unknown>) ?? {},
        createdAt: iso(r.created_at),
      }),
    );
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

export type PoolWithNodes = Pool & { nodes: Record<NodeStatus, number> };

const POOL_SELECT = `p.*,
  (SELECT count(*) FROM nodes n WHERE n.pool_id = p.id AND n.status = 'ACTIVE')::int AS active,
  (SELECT count(*) FROM nodes n WHERE n.pool_id = p.id AND n.status = 'INACTIVE')::int AS inactive,
  (SELECT count(*) FROM nodes n WHERE n.pool_id = p.id AND n.status = 'OFFLINE')::int AS offline,
  (SELECT count(*) FROM nodes n WHERE n.pool_id = p.id AND n.status = 'ERROR')::int AS error`;

const toPool = (r: Row): PoolWithNodes => ({
  id: String(r.id),
  name: String(r.name),
  description: (r.description as string) ?? null,
  region: String(r.region),
  minWorkers: num(r.min_workers),
  maxWorkers: num(r.max_workers),
  // Workers online now, counted rather than trusted from a column nobody keeps up.
  currentWorkers: num(r.active),
  status: r.status as Pool['status'],
  nodes: { ACTIVE: num(r.active), INACTIVE: num(r.inactive), OFFLINE: num(r.offline), ERROR: num(r.error) },
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export interface PoolFields {
  name: string;
  description?: string | null;
  region?: string;
  minWorkers?: number;
  maxWorkers?: number;
}

/** Worker pools with their min/max bounds and a live count of their nodes by status. */
export class PoolRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(p: PoolFields): Promise<PoolWithNodes> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO pools (name, description, region, min_workers, max_workers)
       VALUES ($1, $2, coalesce($3, 'local'), coalesce($4, 0), coalesce($5, 10)) RETURNING id`,
      [p.name, p.description ?? null, p.region ?? null, p.minWorkers ?? null, p.maxWorkers ?? null],
    );
    return (await this.get(rows[0].id))!;
  }

  async get(id: string): Promise<PoolWithNodes | null> {
    const { rows } = await this.db.query(`SELECT ${POOL_SELECT} FROM pools p WHERE p.id = $1`, [id]);
    return rows[0] ? toPool(rows[0]) : null;
  }

  async getByName(name: string): Promise<PoolWithNodes | null> {
    const { rows } = await this.db.query(`SELECT ${POOL_SELECT} FROM pools p WHERE p.name = $1`, [name]);
    return rows[0] ? toPool(rows[0]) : null;
  }

  /** Creates the pool with default bounds when it does not exist (a suite names it first). */
  async ensure(name: string): Promise<void> {
    await this.db.query('INSERT INTO pools (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
  }

  /** ACTIVE nodes of the pool running a job now (as of their last heartbeat). */
  async busyNodes(name: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM nodes n JOIN pools p ON p.id = n.pool_id
       WHERE p.name = $1 AND n.status = 'ACTIVE' AND n.current_job IS NOT NULL`,
      [name],
    );
    return num(rows[0].n);
  }

  async list(page: { limit: number; offset: number }): Promise<Page<PoolWithNodes>> {
    return selectPage(
      this.db,
      { select: POOL_SELECT, from: 'pools p', where: new Where(), orderBy: 'p.name' },
      page,
      toPool,
    );
  }

  async update(id: string, patch: Partial<PoolFields>): Promise<PoolWithNodes | null> {
    const { rowCount } = await this.db.query(
      `UPDATE pools SET name = coalesce($2, name), description = CASE WHEN $3::bool THEN $4 ELSE description END,
         region = coalesce($5, region), min_workers = coalesce($6, min_workers), max_workers = coalesce($7, max_workers)
       WHERE id = $1`,
      [
        id,
        patch.name ?? null,
        'description' in patch,
        patch.description ?? null,
        patch.region ?? null,
        patch.minWorkers ?? null,
        patch.maxWorkers ?? null,
      ],
    );
    return rowCount ? this.get(id) : null;
  }
}
