import { z } from 'zod';
import { Audited, Id, JsonObject, Name, StringMap, Timestamp } from './common';

export const NodeStatus = z.enum(['ACTIVE', 'INACTIVE', 'OFFLINE', 'ERROR']);
export type NodeStatus = z.infer<typeof NodeStatus>;

export const WorkerNode = z.object({
  id: Id,
  name: Name,
  poolId: Id.nullable(),
  pool: z.string(),
  region: z.string().max(100),
  ipAddress: z.string().max(45).nullable(),
  description: z.string().nullable(),
  labels: StringMap,
  status: NodeStatus,
  lastHeartbeatAt: Timestamp.nullable(),
  currentJob: z.string().nullable(),
  version: z.string().nullable(),
  ...Audited,
});
export type WorkerNode = z.infer<typeof WorkerNode>;

export const NodeMetrics = z.object({
  cpuPercent: z.number().min(0),
  memoryBytes: z.number().min(0),
  memoryPercent: z.number().min(0).max(100).optional(),
  loadAverage: z.number().min(0).optional(),
});

export const Heartbeat = z.object({
  id: Id,
  nodeId: Id,
  status: NodeStatus,
  configHash: z.string().max(64).nullable(),
  currentJob: z.string().nullable(),
  errorMessage: z.string().nullable(),
  metrics: NodeMetrics,
  createdAt: Timestamp,
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const LifecycleEvent = z.enum([
  'REGISTERED',
  'CAME_ONLINE',
  'WENT_OFFLINE',
  'WENT_INACTIVE',
  'ERRORED',
  'DEREGISTERED',
]);
export const LifecycleLog = z.object({
  id: Id,
  nodeId: Id,
  eventType: LifecycleEvent,
  previousStatus: NodeStatus.nullable(),
  newStatus: NodeStatus,
  reason: z.string().nullable(),
  triggeredBy: z.enum(['heartbeat', 'manual', 'system']),
  extraData: JsonObject,
  createdAt: Timestamp,
});
export type LifecycleLog = z.infer<typeof LifecycleLog>;

export const PoolStatus = z.enum(['healthy', 'warning', 'error']);
/** A pool's name: also part of Redis queue keys and manifests. */
export const PoolName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_"');
export const Pool = z
  .object({
    id: Id,
    name: PoolName,
    description: z.string().nullable(),
    region: z.string().max(100),
    minWorkers: z.number().int().min(0),
    maxWorkers: z.number().int().min(1),
    currentWorkers: z.number().int().min(0),
    status: PoolStatus,
    ...Audited,
  })
  .refine((p) => p.minWorkers <= p.maxWorkers, {
    message: 'minWorkers must not exceed maxWorkers',
    path: ['minWorkers'],
  });
export type Pool = z.infer<typeof Pool>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24 h)');

/** A suite's cron schedule. */
export const Schedule = z.object({
  id: Id,
  workspaceId: Id,
  suiteId: Id,
  name: Name,
  cron: z.string().min(1).max(100),
  timezone: z.string().min(1).max(64),
  branch: z.string().nullable(),
  isActive: z.boolean(),
  lastRunAt: Timestamp.nullable(),
  nextRunAt: Timestamp.nullable(),
  ...Audited,
});
export type Schedule = z.infer<typeof Schedule>;

/** A pool's capacity window (node-fleet-schema.md schedules: HH:MM start/end, target count). */
export const PoolSchedule = z.object({
  id: Id,
  poolId: Id,
  name: Name,
  startTime: HHMM,
  endTime: HHMM,
  timezone: z.string().min(1).max(64),
  targetWorkers: z.number().int().min(0),
  isActive: z.boolean(),
  ...Audited,
});
export type PoolSchedule = z.infer<typeof PoolSchedule>;

export const NodeConfiguration = z.object({
  id: Id,
  nodeId: Id,
  yamlConfig: z.string(),
  configHash: z.string().length(64),
  isActive: z.boolean(),
  createdAt: Timestamp,
});
export type NodeConfiguration = z.infer<typeof NodeConfiguration>;

export type NodeMetrics = z.infer<typeof NodeMetrics>;
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;
export type PoolStatus = z.infer<typeof PoolStatus>;
