import { z } from 'zod';
import {
  ExecutionStatus,
  ExecutionTrigger,
  Id,
  Priority,
  ResultStatus,
  TestExecution,
  TestResult,
  Timestamp,
  TriggerType,
} from '@verdict/contracts';
import { ExecutionRepository, ResultRepository, ShardRepository, type SqlDatabase } from '@verdict/db';
import type { JobQueue } from '@verdict/queue';
import { cancelExecution } from '../../cancel-execution/cancel-execution';
import { triggerExecution } from '../../trigger-execution/trigger-execution';
import { pageOf, route, RUN } from '@verdict/http';
import { commaList, found, idParam, PageQuery, QueryBool } from '@verdict/http';

const TriggerFields = z.strictObject({
  type: TriggerType.default('manual'),
  source: z.string().min(1).max(255).default('api'),
  branch: z.string().min(1).max(255).optional(),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'a commit SHA (7 to 64 hex digits)')
    .optional(),
  author: z.string().max(255).optional(),
  pullRequest: z.number().int().min(1).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  retries: z.number().int().min(0).max(10).optional().describe("Overrides the suite's retries for this run"),
  priority: Priority.optional().describe("Overrides the suite's priority (0 lowest, 9 highest)"),
  environmentId: Id.optional(),
});
const TriggerBody = TriggerFields.extend({ suiteId: Id });

const Shard = z.object({
  index: z.number().int(),
  files: z.array(z.string()),
  predictedMs: z.number(),
  status: z.enum(['queued', 'running', 'done', 'cancelled']),
  nodeId: Id.nullable(),
  node: z.string().nullable(),
  totalTests: z.number().int().nullable(),
  storedTests: z.number().int(),
  startedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
});
const ExecutionDetail = TestExecution.extend({ shards: z.array(Shard) });

const ExecutionQuery = PageQuery.extend({
  suiteId: Id.optional(),
  projectId: Id.optional(),
  status: commaList(ExecutionStatus)
    .optional()
    .describe('One status or several, comma-separated: queued,running'),
  branch: z.string().min(1).max(255).optional(),
  triggerType: TriggerType.optional(),
  from: Timestamp.optional().describe('Queued at or after (ISO 8601)'),
  to: Timestamp.optional().describe('Queued before (ISO 8601)'),
});

const ResultItem = TestResult.extend({ test: z.object({ name: z.string(), filePath: z.string() }) });

export function executionRoutes(db: SqlDatabase, queue: JobQueue) {
  const repo = new ExecutionRepository(db);
  const params = idParam('executionId');
  const trigger = (
    workspaceId: string,
    suiteId: string,
    b: z.output<typeof TriggerFields>,
    userId: string | null = null,
  ) => {
    const { retries, priority, environmentId, ...t } = b;
    return triggerExecution(db, {
      workspaceId,
      suiteId,
      userId,
      trigger: ExecutionTrigger.parse(t),
      retries,
      priority,
      environmentId,
    });
  };
  const detail = async (workspaceId: string, id: string) => {
    const execution = await found('execution', id, repo.get(id, workspaceId));
    return { ...execution, shards: await new ShardRepository(db).list(id) };
  };
  return [
    route({
      method: 'post',
      path: '/executions',
      access: RUN,
      tag: 'executions',
      summary: 'Run a suite: the execution is stored and queued for planning in one transaction',
      body: TriggerBody,
      response: TestExecution,
      status: 201,
      location: (e: TestExecution) => `/executions/${e.id}`,
      handler: ({ body, ctx }) => trigger(ctx.workspace.id, body.suiteId, body, ctx.principal?.userId),
    }),
    route({
      method: 'post',
      path: '/suites/:suiteId/executions',
      access: RUN,
      tag: 'executions',
      summary: 'Run this suite',
      params: idParam('suiteId'),
      body: TriggerFields,
      response: TestExecution,
      status: 201,
      location: (e: TestExecution) => `/executions/${e.id}`,
      handler: ({ params, body, ctx }) => trigger(ctx.workspace.id, params.suiteId, body, ctx.principal?.userId),
    }),
    route({
      method: 'get',
      path: '/executions',
      tag: 'executions',
      summary: 'List executions, newest first, by suite, project, status, branch, trigger type and time',
      query: ExecutionQuery,
      response: pageOf(TestExecution),
      handler: ({ query, ctx }) => {
        const { limit, offset, ...filter } = query;
        return repo.list(ctx.workspace.id, filter, { limit, offset });
      },
    }),
    route({
      method: 'get',
      path: '/executions/:executionId',
      tag: 'executions',
      summary: 'Get an execution with its live progress, plan and shards',
      params,
      response: ExecutionDetail,
      handler: ({ params, ctx }) => detail(ctx.workspace.id, params.executionId),
    }),
    route({
      method: 'post',
      path: '/executions/:executionId/cancel',
      access: RUN,
      tag: 'executions',
      summary: 'Cancel: queued shards are dropped, running shards are killed, the execution ends cancelled',
      params,
      body: z.strictObject({ reason: z.string().min(1).max(1000).default('cancelled through the API') }),
      response: ExecutionDetail.extend({ removedJobs: z.number().int(), stoppingJobs: z.number().int() }),
      status: 202,
      handler: async ({ params, body, ctx }) => {
        const out = await cancelExecution(
          { db, queue },
          {
            workspaceId: ctx.workspace.id,
            executionId: params.executionId,
            reason: body.reason,
            requestedBy: null,
          },
        );
        return {
          ...(await detail(ctx.workspace.id, params.executionId)),
          removedJobs: out.removedJobs,
          stoppingJobs: out.stoppingJobs,
        };
      },
    }),
    route({
      method: 'get',
      path: '/executions/:executionId/results',
      tag: 'executions',
      summary: "An execution's test results with their test's name and file",
      params,
      query: PageQuery.extend({ status: ResultStatus.optional(), flaky: QueryBool.optional() }),
      response: pageOf(ResultItem),
      handler: async ({ params, query, ctx }) => {
        await found('execution', params.executionId, repo.get(params.executionId, ctx.workspace.id));
        return new ResultRepository(db).list(
          { executionId: params.executionId, status: query.status, flaky: query.flaky },
          query,
        );
      },
    }),
  ];
}
