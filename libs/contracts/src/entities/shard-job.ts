import { z } from 'zod';
import { Id } from './common';
import { SuiteRun } from './suite';

/** What a worker needs to run one shard: written by the planner into the job, read by the worker. */
export const ShardJob = z.object({
  executionId: Id,
  suiteId: Id,
  workspaceId: Id,
  shardIndex: z.number().int().min(0),
  files: z.array(z.string().min(1)).min(1),
  run: SuiteRun,
  timeoutMs: z.number().int().min(1),
  retries: z.number().int().min(0),
  /** For a git source: the commit every shard runs, resolved once by the planner. */
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/)
    .nullable()
    .default(null),
});
export type ShardJob = z.infer<typeof ShardJob>;
