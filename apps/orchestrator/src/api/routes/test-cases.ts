import { z } from 'zod';
import { ResultStatus, TestCase, TestResult } from '@verdict/contracts';
import { ResultRepository, SuiteRepository, TestCaseRepository, type SqlDatabase } from '@verdict/db';
import { pageOf, route } from '@verdict/http';
import { found, idParam, PageQuery } from '@verdict/http';

const CaseItem = TestCase.extend({ lastStatus: ResultStatus.nullable() });

export function testCaseRoutes(db: SqlDatabase) {
  const cases = new TestCaseRepository(db);
  return [
    route({
      method: 'get',
      path: '/suites/:suiteId/test-cases',
      tag: 'test cases',
      summary:
        "A suite's test cases with their history (runs, passes, failures, average duration, last failure)",
      params: idParam('suiteId'),
      query: PageQuery.extend({
        search: z.string().min(1).max(200).optional().describe('Part of the name or file, any case'),
        lastStatus: ResultStatus.optional(),
      }),
      response: pageOf(CaseItem),
      handler: async ({ params, query, ctx }) => {
        await found('suite', params.suiteId, new SuiteRepository(db).get(ctx.workspace.id, params.suiteId));
        return cases.list(params.suiteId, query, query);
      },
    }),
    route({
      method: 'get',
      path: '/test-cases/:testCaseId',
      tag: 'test cases',
      summary: 'A test case with its history',
      params: idParam('testCaseId'),
      response: CaseItem,
      handler: ({ params, ctx }) =>
        found('test case', params.testCaseId, cases.get(ctx.workspace.id, params.testCaseId)),
    }),
    route({
      method: 'get',
      path: '/test-cases/:testCaseId/runs',
      tag: 'test cases',
      summary: "A test case's results across executions, newest first",
      params: idParam('testCaseId'),
      query: PageQuery.extend({ status: ResultStatus.optional() }),
      response: pageOf(TestResult.extend({ test: z.object({ name: z.string(), filePath: z.string() }) })),
      handler: async ({ params, query, ctx }) => {
        await found('test case', params.testCaseId, cases.get(ctx.workspace.id, params.testCaseId));
        return new ResultRepository(db).list({ testCaseId: params.testCaseId, status: query.status }, query);
      },
    }),
  ];
}
