import { z } from 'zod';
import { MockMethod, MockRequestLog, ValidationError } from '@verdict/contracts';
import { idParam, pageOf, PageQuery, route } from '@verdict/http';
import type { MockRequestQuery } from '@verdict/docstore';
import { findMock, type MockServerContext } from './context';

const When = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const Filters = z.object({
  method: MockMethod.optional(),
  path: z
    .string()
    .startsWith('/')
    .max(2000)
    .optional()
    .describe('An exact path, or a template such as /orders/:id'),
  status: z.coerce.number().int().min(100).max(599).optional(),
  executionId: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Only the requests that carried this X-Verdict-Execution header; "none" for those that carried none',
    ),
  since: When.optional(),
  until: When.optional(),
});

const Count = z
  .strictObject({
    exactly: z.number().int().min(0).optional(),
    atLeast: z.number().int().min(0).optional(),
    atMost: z.number().int().min(0).optional(),
  })
  .refine((c) => Object.keys(c).length > 0, { message: 'give exactly, atLeast or atMost' });

const VerifyBody = z.strictObject({
  method: MockMethod.optional(),
  path: z.string().startsWith('/').max(2000).optional(),
  body: z
    .unknown()
    .optional()
    .describe('The JSON body holds these fields with these values (objects in part, arrays whole)'),
  bodyContains: z.string().max(10_000).optional(),
  executionId: z.string().max(200).nullable().optional().describe('null: only requests of no execution'),
  since: When.optional(),
  until: When.optional(),
  count: Count.default({ atLeast: 1 }),
});

const Verification = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  expected: z.record(z.string(), z.number()),
  message: z.string(),
  requests: z.array(MockRequestLog),
});

const Summary = z.object({
  date: z.string(),
  method: z.string(),
  requestCount: z.number(),
  avgResponseTimeMs: z.number(),
  minResponseTimeMs: z.number(),
  maxResponseTimeMs: z.number(),
  errorCount: z.number(),
  successCount: z.number(),
});

const Stats = z.object({
  total: z.number(),
  errors: z.number(),
  unmatched: z.number(),
  avgResponseTimeMs: z.number().nullable(),
  maxResponseTimeMs: z.number().nullable(),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
  byRoute: z.array(
    z.object({
      route: z.string().nullable(),
      count: z.number(),
      errors: z.number(),
      avgResponseTimeMs: z.number(),
    }),
  ),
  pendingInJournal: z.number(),
});

const executionFilter = (v: string | null | undefined): string | null | undefined =>
  v === 'none' ? null : v;

/** The journal: query, summaries, statistics, verification. Each first writes what is still buffered here. */
export function journalRoutes(ctx: MockServerContext) {
  const params = idParam('mockId');
  const mockOf = async (workspaceId: string, id: string) => {
    const mock = await findMock(ctx, workspaceId, id);
    await ctx.journal.flush();
    return mock;
  };
  return [
    route({
      method: 'get',
      path: '/mocks/:mockId/requests',
      tag: 'journal',
      summary: 'Requests the mock received, newest first, filtered',
      params,
      query: PageQuery.extend(Filters.shape),
      response: pageOf(MockRequestLog),
      handler: async ({ params, query, ctx: rc }) => {
        const mock = await mockOf(rc.workspace.id, params.mockId);
        return ctx.docstore.queryMockRequests({
          ...query,
          mockId: mock.id,
          executionId: executionFilter(query.executionId),
        });
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/requests/summary',
      tag: 'journal',
      summary: 'Per day and method: requests, average/min/max response time, errors and successes',
      params,
      query: Filters,
      response: z.array(Summary),
      handler: async ({ params, query, ctx: rc }) => {
        const mock = await mockOf(rc.workspace.id, params.mockId);
        return ctx.docstore.summarizeMockRequests({
          ...query,
          mockId: mock.id,
          executionId: executionFilter(query.executionId),
        });
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/stats',
      tag: 'journal',
      summary: "The mock's statistics: totals, errors, unmatched requests, response times, per route",
      params,
      response: Stats,
      handler: async ({ params, ctx: rc }) => {
        const mock = await mockOf(rc.workspace.id, params.mockId);
        return { ...(await ctx.docstore.mockRequestStats(mock.id)), pendingInJournal: ctx.journal.pending };
      },
    }),
    route({
      method: 'delete',
      path: '/mocks/:mockId/requests',
      tag: 'journal',
      summary: "Forget the mock's journal, or one execution's part of it",
      params,
      query: z.object({ executionId: z.string().max(200).optional() }),
      response: z.object({ deleted: z.number() }),
      handler: async ({ params, query, ctx: rc }) => {
        const mock = await mockOf(rc.workspace.id, params.mockId);
        return { deleted: await ctx.docstore.clearMockRequests(mock.id, query.executionId) };
      },
    }),
    route({
      method: 'post',
      path: '/mocks/:mockId/verify',
      tag: 'journal',
      summary:
        'Was the mock called as expected? E.g. POST /orders with a body matching X, exactly N times, since T, by this execution',
      params,
      body: VerifyBody,
      response: Verification,
      handler: async ({ params, body, ctx: rc }) => {
        const mock = await mockOf(rc.workspace.id, params.mockId);
        if (body.since && body.until && body.since > body.until)
          throw new ValidationError('since is after until', 'since');
        const query: MockRequestQuery = {
          mockId: mock.id,
          method: body.method,
          path: body.path,
          body: body.body,
          bodyContains: body.bodyContains,
          executionId: body.executionId,
          since: body.since,
          until: body.until,
          limit: 10,
        };
        const page = await ctx.docstore.queryMockRequests(query);
        const { exactly, atLeast, atMost } = body.count;
        const n = page.total;
        const ok =
          (exactly === undefined || n === exactly) &&
          (atLeast === undefined || n >= atLeast) &&
          (atMost === undefined || n <= atMost);
        const what = `${body.method ?? 'any method'} ${body.path ?? 'any path'}${body.body !== undefined ? ' with the body given' : ''}${body.executionId ? ` by execution ${body.executionId}` : ''}`;
        const expected = Object.fromEntries(
          Object.entries(body.count).filter(([, v]) => v !== undefined),
        ) as Record<string, number>;
        const wanted = Object.entries(expected)
          .map(([k, v]) => `${k.replace(/([A-Z])/g, ' $1').toLowerCase()} ${v}`)
          .join(' and ');
        return {
          ok,
          count: n,
          expected,
          message: `${what}: called ${n} time${n === 1 ? '' : 's'}, expected ${wanted}${ok ? '' : ' — verification failed'}`,
          requests: page.items,
        };
      },
    }),
  ];
}
