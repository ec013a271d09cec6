import type {
  Mock,
  MockCondition,
  MockEvent,
  MockResponse,
  MockRoute,
  Page,
  ResponseSet,
  SetResponse,
} from '@verdict/contracts';
import type { SqlExecutor } from '../sql-database.port';
import { iso, num, selectPage, Where } from './rows';

type Row = Record<string, unknown>;

export type MockFields = Pick<
  Mock,
  'name' | 'description' | 'protocol' | 'status' | 'responseDelayMs' | 'port' | 'metadata'
>;
export type RouteFields = Pick<MockRoute, 'method' | 'path' | 'description' | 'response'>;
export type ConditionFields = Pick<
  MockCondition,
  'parameterName' | 'parameterSource' | 'operator' | 'expectedValue' | 'response' | 'priority'
>;
export type ResponseSetFields = Pick<ResponseSet, 'name' | 'description' | 'responses'>;

export interface MockWebhook {
  id: string;
  mockId: string;
  name: string;
  url: string;
  headers: Record<string, string>;
  events: MockEvent[];
  isActive: boolean;
  createdAt: string;
}
export interface MockWebhookFields {
  name: string;
  url: string;
  secret: string;
  headers: Record<string, string>;
  events: MockEvent[];
  isActive: boolean;
}

/** Everything a mock answers with, loaded at once for the traffic server. */
export interface MockDefinition {
  mock: Mock;
  routes: (MockRoute & { conditions: MockCondition[] })[];
  /** The active response set's answers; empty when none is active. */
  setResponses: SetResponse[];
}

export const mockBasePath = (name: string) => `/mocks/${name}`;

const toMock = (r: Row): Mock => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  name: String(r.name),
  description: (r.description as string) ?? null,
  protocol: r.protocol as Mock['protocol'],
  status: r.status as Mock['status'],
  responseDelayMs: num(r.response_delay_ms),
  port: r.port === null || r.port === undefined ? null : num(r.port),
  metadata: (r.metadata as Mock['metadata']) ?? {},
  activeResponseSet: (r.active_set_name as string) ?? null,
  basePath: mockBasePath(String(r.name)),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const toRoute = (r: Row): MockRoute => ({
  id: String(r.id),
  mockId: String(r.mock_id),
  method: r.method as MockRoute['method'],
  path: String(r.path),
  description: (r.description as string) ?? null,
  response: r.response as MockResponse,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const toCondition = (r: Row): MockCondition => ({
  id: String(r.id),
  routeId: String(r.route_id),
  parameterName: String(r.parameter_name),
  parameterSource: r.parameter_source as MockCondition['parameterSource'],
  operator: r.operator as MockCondition['operator'],
  expectedValue: String(r.expected_value),
  response: r.response as MockResponse,
  priority: num(r.priority),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const toSet = (r: Row): ResponseSet => ({
  id: String(r.id),
  mockId: String(r.mock_id),
  name: String(r.name),
  description: (r.description as string) ?? null,
  isActive: Boolean(r.is_active),
  responses: r.responses as SetResponse[],
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const toWebhook = (r: Row): MockWebhook => {
  const target = r.target as { url: string; headers?: Record<string, string> };
  return {
    id: String(r.id),
    mockId: String(r.mock_id),
    name: String(r.name),
    url: target.url,
    headers: target.headers ?? {},
    events: (r.events as MockEvent[]) ?? [],
    isActive: Boolean(r.is_active),
    createdAt: iso(r.created_at),
  };
};

const MOCK_SELECT = `m.*, (SELECT s.name FROM mock_response_sets s WHERE s.id = m.active_set_id) AS active_set_name`;

/** Mocks, their routes, conditions and response sets (stub-manager-schema.md, mockloop-schema.md). */
export class MockRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(workspaceId: string, f: MockFields): Promise<Mock> {
    const { rows } = await this.db.query(
      `INSERT INTO mocks (workspace_id, name, description, protocol, status, response_delay_ms, port, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        workspaceId,
        f.name,
        f.description,
        f.protocol,
        f.status,
        f.responseDelayMs,
        f.port,
        JSON.stringify(f.metadata),
      ],
    );
    return (await this.get(workspaceId, String(rows[0].id)))!;
  }

  async get(workspaceId: string, id: string): Promise<Mock | null> {
    const { rows } = await this.db.query(
      `SELECT ${MOCK_SELECT} FROM mocks m WHERE m.workspace_id = $1 AND m.id = $2`,
      [workspaceId, id],
    );
    return rows[0] ? toMock(rows[0]) : null;
  }

  async getByName(workspaceId: string, name: string): Promise<Mock | null> {
    const { rows } = await this.db.query(
      `SELECT ${MOCK_SELECT} FROM mocks m WHERE m.workspace_id = $1 AND m.name = $2`,
      [workspaceId, name],
    );
    return rows[0] ? toMock(rows[0]) : null;
  }

  async list(
    workspaceId: string,
    filter: { status?: string; protocol?: string; name?: string },
    page: { limit: number; offset: number },
  ): Promise<Page<Mock>> {
    const where = new Where()
      .equals({ 'm.workspace_id': workspaceId, 'm.status': filter.status, 'm.protocol': filter.protocol })
      .add(`m.name LIKE '%' || ? || '%'`, filter.name);
    return selectPage(
      this.db,
      { select: MOCK_SELECT, from: 'mocks m', where, orderBy: 'm.name' },
      page,
      toMock,
    );
  }

  async update(workspaceId: string, id: string, f: Partial<MockFields>): Promise<Mock | null> {
    const columns: Record<keyof MockFields, string> = {
      name: 'name',
      description: 'description',
      protocol: 'protocol',
      status: 'status',
      responseDelayMs: 'response_delay_ms',
      port: 'port',
      metadata: 'metadata',
    };
    const sets: string[] = [];
    const params: unknown[] = [workspaceId, id];
    for (const [key, column] of Object.entries(columns) as [keyof MockFields, string][]) {
      if (f[key] === undefined) continue;
      params.push(key === 'metadata' ? JSON.stringify(f[key]) : f[key]);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length) {
      const { rowCount } = await this.db.query(
        `UPDATE mocks SET ${sets.join(', ')} WHERE workspace_id = $1 AND id = $2`,
        params,
      );
      if (!rowCount) return null;
    }
    return this.get(workspaceId, id);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM mocks WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    return rowCount === 1;
  }

  // ---- routes

  async createRoute(mockId: string, f: RouteFields): Promise<MockRoute> {
    const { rows } = await this.db.query(
      `INSERT INTO mock_routes (mock_id, method, path, description, response) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [mockId, f.method, f.path, f.description, JSON.stringify(f.response)],
    );
    return toRoute(rows[0]);
  }

  async getRoute(mockId: string, routeId: string): Promise<MockRoute | null> {
    const { rows } = await this.db.query('SELECT * FROM mock_routes WHERE mock_id = $1 AND id = $2', [
      mockId,
      routeId,
    ]);
    return rows[0] ? toRoute(rows[0]) : null;
  }

  async listRoutes(mockId: string, page: { limit: number; offset: number }): Promise<Page<MockRoute>> {
    return selectPage(
      this.db,
      {
        select: '*',
        from: 'mock_routes',
        where: new Where().equals({ mock_id: mockId }),
        orderBy: 'path, method',
      },
      page,
      toRoute,
    );
  }

  async updateRoute(mockId: string, routeId: string, f: Partial<RouteFields>): Promise<MockRoute | null> {
    const current = await this.getRoute(mockId, routeId);
    if (!current) return null;
    const next = { ...current, ...f };
    const { rows } = await this.db.query(
      `UPDATE mock_routes SET method = $3, path = $4, description = $5, response = $6 WHERE mock_id = $1 AND id = $2 RETURNING *`,
      [mockId, routeId, next.method, next.path, next.description, JSON.stringify(next.response)],
    );
    return rows[0] ? toRoute(rows[0]) : null;
  }

  async deleteRoute(mockId: string, routeId: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM mock_routes WHERE mock_id = $1 AND id = $2', [
      mockId,
      routeId,
    ]);
    return rowCount === 1;
  }

  // ---- conditions

  async createCondition(routeId: string, f: ConditionFields): Promise<MockCondition> {
    const { rows } = await this.db.query(
      `INSERT INTO mock_conditions (route_id, parameter_name, parameter_source, operator, expected_value, response, priority)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        routeId,
        f.parameterName,
        f.parameterSource,
        f.operator,
        f.expectedValue,
        JSON.stringify(f.response),
        f.priority,
      ],
    );
    return toCondition(rows[0]);
  }

  async getCondition(routeId: string, id: string): Promise<MockCondition | null> {
    const { rows } = await this.db.query('SELECT * FROM mock_conditions WHERE route_id = $1 AND id = $2', [
      routeId,
      id,
    ]);
    return rows[0] ? toCondition(rows[0]) : null;
  }

  async listConditions(routeId: string): Promise<MockCondition[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM mock_conditions WHERE route_id = $1 ORDER BY priority DESC, created_at, id',
      [routeId],
    );
    return rows.map(toCondition);
  }

  async updateCondition(
    routeId: string,
    id: string,
    f: Partial<ConditionFields>,
  ): Promise<MockCondition | null> {
    const current = await this.getCondition(routeId, id);
    if (!current) return null;
    const n = { ...current, ...f };
    const { rows } = await this.db.query(
      `UPDATE mock_conditions SET parameter_name = $3, parameter_source = $4, operator = $5, expected_value = $6, response = $7, priority = $8
       WHERE route_id = $1 AND id = $2 RETURNING *`,
      [
        routeId,
        id,
        n.parameterName,
        n.parameterSource,
        n.operator,
        n.expectedValue,
        JSON.stringify(n.response),
        n.priority,
      ],
    );
    return rows[0] ? toCondition(rows[0]) : null;
  }

  async deleteCondition(routeId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM mock_conditions WHERE route_id = $1 AND id = $2', [
      routeId,
      id,
    ]);
    return rowCount === 1;
  }

  // ---- response sets

  async createSet(mockId: string, f: ResponseSetFields): Promise<ResponseSet> {
    const { rows } = await this.db.query(
      `INSERT INTO mock_response_sets (mock_id, name, description, responses) VALUES ($1, $2, $3, $4) RETURNING *, false AS is_active`,
      [mockId, f.name, f.description, JSON.stringify(f.responses)],
    );
    return toSet(rows[0]);
  }

  private setSelect = `s.*, (m.active_set_id IS NOT DISTINCT FROM s.id) AS is_active FROM mock_response_sets s JOIN mocks m ON m.id = s.mock_id`;

  async getSet(mockId: string, id: string): Promise<ResponseSet | null> {
    const { rows } = await this.db.query(`SELECT ${this.setSelect} WHERE s.mock_id = $1 AND s.id = $2`, [
      mockId,
      id,
    ]);
    return rows[0] ? toSet(rows[0]) : null;
  }

  async listSets(mockId: string): Promise<ResponseSet[]> {
    const { rows } = await this.db.query(`SELECT ${this.setSelect} WHERE s.mock_id = $1 ORDER BY s.name`, [
      mockId,
    ]);
    return rows.map(toSet);
  }

  async replaceSet(mockId: string, id: string, f: ResponseSetFields): Promise<ResponseSet | null> {
    const { rowCount } = await this.db.query(
      `UPDATE mock_response_sets SET name = $3, description = $4, responses = $5 WHERE mock_id = $1 AND id = $2`,
      [mockId, id, f.name, f.description, JSON.stringify(f.responses)],
    );
    return rowCount ? this.getSet(mockId, id) : null;
  }

  async deleteSet(mockId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM mock_response_sets WHERE mock_id = $1 AND id = $2',
      [mockId, id],
    );
    return rowCount === 1;
  }

  /** Makes the set named active (null: none). False when the set does not exist. */
  async activateSet(mockId: string, name: string | null): Promise<boolean> {
    if (name === null) {
      await this.db.query('UPDATE mocks SET active_set_id = NULL WHERE id = $1', [mockId]);
      return true;
    }
    const { rowCount } = await this.db.query(
      `UPDATE mocks SET active_set_id = s.id FROM mock_response_sets s WHERE mocks.id = $1 AND s.mock_id = $1 AND s.name = $2`,
      [mockId, name],
    );
    return rowCount === 1;
  }

  // ---- what the traffic server loads

  /** The version every change bumps: a replica reloads when it moves. */
  async version(): Promise<number> {
    const { rows } = await this.db.query<{ version: string }>('SELECT version FROM mock_config_version');
    return Number(rows[0]?.version ?? 0);
  }

  /** Every REST mock with its routes, conditions and active set's answers. */
  async loadAll(): Promise<MockDefinition[]> {
    const [mocks, routes, conditions, sets] = await Promise.all([
      this.db.query(`SELECT ${MOCK_SELECT} FROM mocks m WHERE m.protocol = 'REST'`),
      this.db.query('SELECT r.* FROM mock_routes r JOIN mocks m ON m.id = r.mock_id WHERE m.protocol = $1', [
        'REST',
      ]),
      this.db.query(
        'SELECT c.* FROM mock_conditions c JOIN mock_routes r ON r.id = c.route_id ORDER BY c.priority DESC, c.created_at, c.id',
      ),
      this.db.query(
        'SELECT s.mock_id, s.responses FROM mock_response_sets s JOIN mocks m ON m.active_set_id = s.id',
      ),
    ]);
    const byRoute = new Map<string, MockCondition[]>();
    for (const c of conditions.rows.map(toCondition)) {
      const list = byRoute.get(c.routeId) ?? [];
      list.push(c);
      byRoute.set(c.routeId, list);
    }
    const byMock = new Map<string, MockDefinition>();
    for (const m of mocks.rows.map(toMock)) byMock.set(m.id, { mock: m, routes: [], setResponses: [] });
    for (const r of routes.rows.map(toRoute))
      byMock.get(r.mockId)?.routes.push({ ...r, conditions: byRoute.get(r.id) ?? [] });
    for (const s of sets.rows) {
      const d = byMock.get(String(s.mock_id));
      if (d) d.setResponses = s.responses as SetResponse[];
    }
    return [...byMock.values()];
  }

  // ---- webhooks: notification rules of a mock

  async createWebhook(workspaceId: string, mockId: string, f: MockWebhookFields): Promise<MockWebhook> {
    const { rows } = await this.db.query(
      `INSERT INTO notification_rules (workspace_id, mock_id, name, channel, target, send_when, is_active, events)
       VALUES ($1, $2, $3, 'webhook', $4, 'always', $5, $6) RETURNING *`,
      [
        workspaceId,
        mockId,
        f.name,
        JSON.stringify({ url: f.url, secret: f.secret, headers: f.headers }),
        f.isActive,
        f.events,
      ],
    );
    return toWebhook(rows[0]);
  }

  async listWebhooks(mockId: string): Promise<MockWebhook[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM notification_rules WHERE mock_id = $1 ORDER BY created_at, id',
      [mockId],
    );
    return rows.map(toWebhook);
  }

  async deleteWebhook(mockId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM notification_rules WHERE mock_id = $1 AND id = $2',
      [mockId, id],
    );
    return rowCount === 1;
  }

  /** The active webhooks of a mock that want this event. */
  async webhooksFor(mockId: string, event: MockEvent): Promise<{ id: string; workspaceId: string }[]> {
    const { rows } = await this.db.query(
      'SELECT id, workspace_id FROM notification_rules WHERE mock_id = $1 AND is_active AND $2 = ANY(events)',
      [mockId, event],
    );
    return rows.map((r) => ({ id: String(r.id), workspaceId: String(r.workspace_id) }));
  }
}
