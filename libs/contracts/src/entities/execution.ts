import { z } from 'zod';
import { Id, JsonObject, Timestamp } from './common';

export const ExecutionStatus = z.enum(['queued', 'preparing', 'running', 'completed', 'failed', 'cancelled']);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;
export const TERMINAL_EXECUTION_STATUSES: readonly ExecutionStatus[] = ['completed', 'failed', 'cancelled'];

export const TriggerType = z.enum(['manual', 'scheduled', 'ci', 'webhook']);
export const ExecutionTrigger = z.object({
  type: TriggerType,
  source: z.string().min(1).max(255),
  branch: z.string().max(255).optional(),
  commit: z.string().max(64).optional(),
  author: z.string().max(255).optional(),
  pullRequest: z.number().int().min(1).optional(),
  metadata: JsonObject.optional(),
});
export type ExecutionTrigger = z.infer<typeof ExecutionTrigger>;

export const ExecutionConfig = z.object({
  parallel: z.boolean(),
  workers: z.number().int().min(1),
  timeout: z.number().int().min(1),
  retries: z.number().int().min(0),
  dryRun: z.boolean(),
  debug: z.boolean(),
});
export type ExecutionConfig = z.infer<typeof ExecutionConfig>;

export const ExecutionSelection = z.object({
  tests: z.array(z.string()),
  tags: z.array(z.string()).optional(),
  pattern: z.string().optional(),
  changedFiles: z.array(z.string()).optional(),
});

export const Progress = z.object({
  total: z.number().int().min(0),
  completed: z.number().int().min(0),
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  skipped: z.number().int().min(0),
  pending: z.number().int().min(0),
});
export type Progress = z.infer<typeof Progress>;

export const ExecutionTiming = z.object({
  queuedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  duration: z.number().int().min(0).nullable(),
});

export const ExecutionResources = z.object({
  cpu: z.number().min(0),
  memory: z.number().min(0),
  containers: z.number().int().min(0),
  cost: z.number().min(0).optional(),
});

export const ShardPlan = z.object({
  shards: z.array(
    z.object({ index: z.number().int().min(0), files: z.array(z.string()), predictedMs: z.number().min(0) }),
  ),
  /** Longest shard / mean shard: 1.0 is a perfect split. */
  predictedBalance: z.number().min(1),
  strategy: z.enum(['duration', 'count', 'mixed']),
});
export type ShardPlan = z.infer<typeof ShardPlan>;

export const TestExecution = z.object({
  id: Id,
  workspaceId: Id,
  suiteId: Id,
  userId: Id.nullable(),
  environmentId: Id.nullable(),
  dataSetId: Id.nullable(),
  trigger: ExecutionTrigger,
  config: ExecutionConfig,
  selection: ExecutionSelection,
  status: ExecutionStatus,
  progress: Progress,
  timing: ExecutionTiming,
  resources: ExecutionResources,
  plan: ShardPlan.nullable(),
  error: z.string().nullable(),
});
export type TestExecution = z.infer<typeof TestExecution>;

export type TriggerType = z.infer<typeof TriggerType>;
export type ExecutionSelection = z.infer<typeof ExecutionSelection>;
export type ExecutionTiming = z.infer<typeof ExecutionTiming>;
export type ExecutionResources = z.infer<typeof ExecutionResources>;
