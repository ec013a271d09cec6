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
});
export type ShardJob = z.infer<typeof ShardJob>;
