import { z } from 'zod';
import {
  Heartbeat,
  LifecycleEvent,
  LifecycleLog,
  NodeStatus,
  Pool,
  PoolName,
  Timestamp,
  ValidationError,
  WorkerNode,
} from '@verdict/contracts';
import { NodeRepository, PoolRepository, type SqlDatabase } from '@verdict/db';
import type { JobQueue } from '@verdict/queue';
import { poolLoad } from '../../fleet/pool-load';
import { pageOf, route, PUBLIC } from '@verdict/http';
import { found, idParam, nonEmpty, PageQuery, patchOf } from '@verdict/http';

const PoolShape = z.object({
  name: PoolName,
  description: z.string().max(10_000).nullable().optional(),
  region: z.string().min(1).max(100).optional(),
  minWorkers: z.number().int().min(0).max(10_000).optional(),
  maxWorkers: z.number().int().min(1).max(10_000).optional(),
});
const minLeMax = (p: { minWorkers?: number; maxWorkers?: number }) =>
  p.minWorkers === undefined || p.maxWorkers === undefined || p.minWorkers <= p.maxWorkers;
const PoolBody = PoolShape.strict().refine(minLeMax, {
  message: 'minWorkers must not exceed maxWorkers',
  path: ['minWorkers'],
});
const PoolItem = Pool.and(z.object({ nodes: z.record(NodeStatus, z.number().int()) }));

const Scaling = z.object({
  pool: z.string(),
  queuedJobs: z.number().int(),
  busyWorkers: z.number().int(),
  onlineWorkers: z.number().int(),
  minWorkers: z.number().int(),
  maxWorkers: z.number().int(),
  scheduledWorkers: z.number().int().describe('the largest target of the capacity windows open now'),
  desiredWorkers: z
    .number()
    .int()
    .describe("queued + busy, at least the open windows' target, bounded by the pool's min and max"),
});

export function fleetRoutes(db: SqlDatabase, queue: JobQueue) {
  const nodes = new NodeRepository(db);
  const pools = new PoolRepository(db);
  const nodeParams = idParam('nodeId');
  const poolParams = idParam('poolId');
  const node = (id: string) => found('node', id, nodes.get(id));
  return [
    route({
      method: 'get',
      path: '/nodes',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: 'Worker nodes, by pool and status',
      query: PageQuery.extend({ pool: z.string().min(1).optional(), status: NodeStatus.optional() }),
      response: pageOf(WorkerNode),
      handler: ({ query }) => nodes.list(query, query),
    }),
    route({
      method: 'get',
      path: '/nodes/:nodeId',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: 'A worker node',
      params: nodeParams,
      response: WorkerNode,
      handler: ({ params }) => node(params.nodeId),
    }),
    route({
      method: 'get',
      path: '/nodes/:nodeId/heartbeats',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: "A node's heartbeats, newest first (status, job, CPU, memory)",
      params: nodeParams,
      query: PageQuery,
      response: pageOf(Heartbeat),
      handler: async ({ params, query }) => {
        await node(params.nodeId);
        return nodes.heartbeats(params.nodeId, query);
      },
    }),
    route({
      method: 'get',
      path: '/nodes/:nodeId/lifecycle',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: "A node's lifecycle log (REGISTERED, CAME_ONLINE, WENT_OFFLINE…), oldest first",
      params: nodeParams,
      query: PageQuery,
      response: pageOf(LifecycleLog),
      handler: async ({ params, query }) => {
        await node(params.nodeId);
        return nodes.lifecycleLogs({ nodeId: params.nodeId }, query);
      },
    }),
    route({
      method: 'get',
      path: '/lifecycle-logs',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: 'The lifecycle log of the whole fleet, by event type and time',
      query: PageQuery.extend({ eventType: LifecycleEvent.optional(), since: Timestamp.optional() }),
      response: pageOf(LifecycleLog),
      handler: ({ query }) => nodes.lifecycleLogs(query, query),
    }),
    route({
      method: 'post',
      path: '/pools',
      access: { scope: 'platform', need: 'fleet' },
      tag: 'fleet',
      summary: 'Create a worker pool with its min and max workers',
      body: PoolBody,
      response: PoolItem,
      status: 201,
      location: (p: Pool) => `/pools/${p.id}`,
      handler: ({ body }) => pools.create(body),
    }),
    route({
      method: 'get',
      path: '/pools',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: 'Worker pools with their bounds and nodes by status',
      query: PageQuery,
      response: pageOf(PoolItem),
      handler: ({ query }) => pools.list(query),
    }),
    route({
      method: 'get',
      path: '/pools/:poolId',
      access: { scope: 'platform', need: 'read' },
      tag: 'fleet',
      summary: 'A worker pool',
      params: poolParams,
      response: PoolItem,
      handler: ({ params }) => found('pool', params.poolId, pools.get(params.poolId)),
    }),
    route({
      method: 'get',
      path: '/pools/:poolName/scaling',
      access: PUBLIC,
      tag: 'fleet',
      summary:
        'How many workers the pool wants now: queued shard jobs plus busy workers, within its min and max (an autoscaler polls this)',
      params: z.object({ poolName: PoolShape.shape.name }),
      response: Scaling,
      handler: async ({ params }) => {
        const pool = await found('pool', params.poolName, pools.getByName(params.poolName));
        const { offlineWorkers: _offline, ...load } = await poolLoad(db, queue, pool);
        return load;
      },
    }),
    route({
      method: 'patch',
      path: '/pools/:poolId',
      access: { scope: 'platform', need: 'fleet' },
      tag: 'fleet',
      summary: "Change a pool's description, region or bounds",
      params: poolParams,
      body: nonEmpty(patchOf(PoolShape)),
      response: PoolItem,
      handler: async ({ params, body }) => {
        const current = await found('pool', params.poolId, pools.get(params.poolId));
        const next = { minWorkers: current.minWorkers, maxWorkers: current.maxWorkers, ...body };
        if (!minLeMax(next))
          throw new ValidationError(
            `minWorkers (${next.minWorkers}) must not exceed maxWorkers (${next.maxWorkers})`,
            'minWorkers',
          );
        return found('pool', params.poolId, pools.update(params.poolId, body));
      },
    }),
  ];
}
