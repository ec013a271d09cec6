import { z } from 'zod';
import { Id, JsonObject, Timestamp } from '../entities/common';
import { ExecutionStatus, Progress } from '../entities/execution';
import {
  Attempt,
  Coverage,
  DurationBreakdown,
  ResultArtifacts,
  ResultStatus,
  TestError,
} from '../entities/result';
import { LogLevel } from '../entities/docs';
import { Priority } from '../entities/suite';

// test.execution
export const RequestNew = z.object({
  executionId: Id,
  suiteId: Id,
  userId: Id.nullable(),
  priority: Priority,
  config: JsonObject,
  requestedAt: Timestamp,
});
export const ExecutionStarted = z.object({
  executionId: Id,
  suiteId: Id,
  shardCount: z.number().int().min(0),
  totalTests: z.number().int().min(0),
  startedAt: Timestamp,
});
export const ExecutionCancel = z.object({
  executionId: Id,
  reason: z.string().max(1000),
  requestedBy: z.string().nullable(),
});
export const ExecutionCompleted = z.object({
  executionId: Id,
  suiteId: Id,
  status: ExecutionStatus,
  progress: Progress,
  durationMs: z.number().int().min(0),
  completedAt: Timestamp,
});

// test.results: one message carries a batch of results that share one status,
// so the routing key result.{status} is true of every result inside.
export const ResultItem = z.object({
  testKey: z.string().min(1).max(2000),
  name: z.string().min(1).max(1000),
  filePath: z.string(),
  status: ResultStatus,
  duration: DurationBreakdown,
  error: TestError.nullable(),
  attempts: z.array(Attempt),
  flaky: z.boolean(),
  coverage: Coverage.nullable().optional(),
  artifacts: ResultArtifacts.optional(),
});
export const ResultBatch = z
  .object({
    executionId: Id,
    suiteId: Id,
    shardIndex: z.number().int().min(0),
    nodeId: z.string().nullable(),
    status: ResultStatus,
    /** Every result the shard produced, across all its batches: the shard is complete once that many are stored. */
    shardTotal: z.number().int().min(1),
    results: z.array(ResultItem).min(1).max(5000),
  })
  .refine((b) => b.results.every((r) => r.status === b.status), {
    message: 'every result in a batch must have the batch status',
    path: ['results'],
  });

// test.logs: batched per level for the same reason.
export const LogBatch = z
  .object({
    executionId: Id,
    shardIndex: z.number().int().min(0).nullable(),
    level: LogLevel,
    entries: z
      .array(
        z.object({
          testId: z.string().nullable(),
          timestamp: Timestamp,
          level: LogLevel,
          message: z.string().max(65536),
          stream: z.enum(['stdout', 'stderr']).optional(),
          context: JsonObject.optional(),
        }),
      )
      .min(1)
      .max(10000),
  })
  .refine((b) => b.entries.every((e) => e.level === b.level), {
    message: 'every entry in a batch must have the batch level',
    path: ['entries'],
  });

// notifications
export const NotificationChannel = z.enum(['slack', 'email', 'webhook']);
export const Notify = z.object({
  channel: NotificationChannel,
  type: z.string().min(1),
  recipient: z.string().min(1),
  subject: z.string(),
  body: z.string(),
  executionId: Id.nullable(),
  metadata: JsonObject,
});

// fleet
export const NodeOnline = z.object({
  nodeId: Id,
  name: z.string(),
  pool: z.string(),
  labels: z.record(z.string(), z.string()),
  at: Timestamp,
});
export const NodeOffline = z.object({
  nodeId: Id,
  name: z.string(),
  pool: z.string(),
  reason: z.string(),
  requeuedJobs: z.array(z.string()),
  at: Timestamp,
});
