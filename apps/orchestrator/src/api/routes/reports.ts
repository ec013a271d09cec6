import { z } from 'zod';
import { ConflictError, LogLevel, TestLog, TestReport, Timestamp } from '@verdict/contracts';
import { ExecutionRepository, type SqlDatabase } from '@verdict/db';
import type { DocumentStore } from '@verdict/docstore';
import { renderHtml, renderJunit, reportOf } from '@verdict/reports';
import { pageOf, RawBody, route } from '@verdict/http';
import { commaList, found, idParam, PageQuery } from '@verdict/http';

const FORMATS = ['json', 'html', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export function reportRoutes(db: SqlDatabase, docstore: DocumentStore) {
  const executions = new ExecutionRepository(db);
  const params = idParam('executionId');
  return [
    route({
      method: 'get',
      path: '/executions/:executionId/report',
      tag: 'reports',
      summary:
        "An ended execution's report: JSON (the stored document), a self-contained HTML page, or merged JUnit XML; by ?format= or the Accept header",
      params,
      query: z.object({
        format: z.enum(FORMATS).optional().describe('json (default), html or junit; else taken from Accept'),
        download: z.enum(['true', 'false']).optional().describe('answer as a file to save'),
      }),
      response: TestReport,
      handler: async ({ params, query, ctx, accept }) => {
        const execution = await found(
          'execution',
          params.executionId,
          executions.get(params.executionId, ctx.workspace.id),
        );
        const report = await reportOf(db, docstore, execution.id);
        if (!report)
          throw new ConflictError(
            `execution ${execution.id} is ${execution.status}: its report is made when it ends`,
            { field: 'executionId', status: execution.status },
          );
        const format: Format =
          query.format ??
          (/text\/html/.test(accept) ? 'html' : /(application|text)\/xml/.test(accept) ? 'junit' : 'json');
        const file = (ext: string) =>
          query.download === 'true' ? `verdict-${execution.id}.${ext}` : undefined;
        if (format === 'html')
          return new RawBody('text/html; charset=utf-8', renderHtml(report), file('html'));
        if (format === 'junit')
          return new RawBody('application/xml; charset=utf-8', renderJunit(report), file('xml'));
        return report;
      },
    }),
    route({
      method: 'get',
      path: '/executions/:executionId/logs',
      tag: 'reports',
      summary:
        "An execution's logs (its shards' output and Verdict's notes), by test, level and time, oldest first",
      params,
      query: PageQuery.extend({
        testId: z.string().min(1).optional(),
        level: commaList(LogLevel).optional().describe('One level or several, comma-separated: warn,error'),
        from: Timestamp.optional(),
        to: Timestamp.optional(),
      }),
      response: pageOf(TestLog),
      handler: async ({ params, query, ctx }) => {
        await found('execution', params.executionId, executions.get(params.executionId, ctx.workspace.id));
        return docstore.queryLogs({
          executionId: params.executionId,
          testId: query.testId,
          levels: query.level,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
          limit: query.limit,
          offset: query.offset,
        });
      },
    }),
  ];
}
