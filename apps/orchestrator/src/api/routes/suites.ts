import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  checkCommandTemplate,
  Id,
  Name,
  SuiteConfig,
  SuiteRun,
  SuiteSelectors,
  SuiteType,
  TestSuite,
  ValidationError,
} from '@verdict/contracts';
import { PoolRepository, ProjectRepository, SuiteRepository, type SqlDatabase } from '@verdict/db';
import { checkGlobs } from '../../plan-execution/select-files';
import { pageOf, route } from '@verdict/http';
import { found, idParam, removed, nonEmpty, PageQuery, patchOf, QueryBool } from '@verdict/http';

const GIT_URL = /^(?:(?:https?|ssh|git|file):\/\/\S+|[\w.-]+@[\w.-]+:\S+|\/\S+)$/;
const GIT_REF = /^(?!-)(?!.*\.\.)[\w./-]+$/;

/**
 * What the schema cannot say about how a suite runs: checked at registration so a mistake is a
 * 400 naming the field now, not a broken run later.
 */
export function checkSuiteRun(run: SuiteRun, selectors: Pick<SuiteSelectors, 'include' | 'exclude'>): void {
  checkCommandTemplate(run.command);
  if (!run.command.includes('{report}'))
    throw new ValidationError(
      'the command must write its report to {report} (for node:test: --test-reporter={reporter} --test-reporter-destination={report})',
      'run.command',
    );
  const source = run.source;
  if (source.type === 'local') {
    if (!path.isAbsolute(source.path))
      throw new ValidationError(`the source path must be absolute, got "${source.path}"`, 'run.source.path');
    if (!fs.existsSync(source.path) || !fs.statSync(source.path).isDirectory())
      throw new ValidationError(`no directory at ${source.path} on the orchestrator`, 'run.source.path');
  } else {
    if (!GIT_URL.test(source.url))
      throw new ValidationError(
        `"${source.url}" is not a git URL (https://, ssh://, git://, file://, user@host:path or an absolute path)`,
        'run.source.url',
      );
    if (!GIT_REF.test(source.ref))
      throw new ValidationError(`"${source.ref}" is not a branch, tag or commit name`, 'run.source.ref');
  }
  checkGlobs(selectors);
}

const CreateSuite = z.strictObject({
  name: Name,
  description: z.string().max(10_000).nullable().optional(),
  type: SuiteType.default('unit'),
  run: SuiteRun,
  config: patchOf(SuiteConfig).optional(),
  selectors: patchOf(SuiteSelectors).optional(),
});

const PatchSuite = nonEmpty(
  z.strictObject({
    name: Name.optional(),
    description: z.string().max(10_000).nullable().optional(),
    type: SuiteType.optional(),
    run: patchOf(SuiteRun).optional(),
    config: patchOf(SuiteConfig).optional(),
    selectors: patchOf(SuiteSelectors).optional(),
    isActive: z.boolean().optional(),
  }),
);

export function suiteRoutes(db: SqlDatabase) {
  const repo = new SuiteRepository(db);
  const params = idParam('suiteId');
  return [
    route({
      method: 'post',
      path: '/projects/:projectId/suites',
      tag: 'suites',
      summary: 'Register a suite: its source, command, report format, selectors and run settings',
      params: idParam('projectId'),
      body: CreateSuite,
      response: TestSuite,
      status: 201,
      location: (s: TestSuite) => `/suites/${s.id}`,
      handler: async ({ params, body, ctx }) => {
        await found(
          'project',
          params.projectId,
          new ProjectRepository(db).get(ctx.workspace.id, params.projectId),
        );
        const selectors = SuiteSelectors.parse(body.selectors ?? {});
        checkSuiteRun(body.run, selectors);
        return repo.create({
          ...body,
          selectors,
          workspaceId: ctx.workspace.id,
          projectId: params.projectId,
        });
      },
    }),
    route({
      method: 'get',
      path: '/suites',
      tag: 'suites',
      summary: 'List suites, optionally of one project',
      query: PageQuery.extend({ projectId: Id.optional(), active: QueryBool.optional() }),
      response: pageOf(TestSuite),
      handler: ({ query, ctx }) =>
        repo.list(ctx.workspace.id, { projectId: query.projectId, isActive: query.active }, query),
    }),
    route({
      method: 'get',
      path: '/suites/:suiteId',
      tag: 'suites',
      summary: 'Get a suite',
      params,
      response: TestSuite,
      handler: ({ params, ctx }) =>
        found('suite', params.suiteId, repo.get(ctx.workspace.id, params.suiteId)),
    }),
    route({
      method: 'patch',
      path: '/suites/:suiteId',
      tag: 'suites',
      summary: 'Change a suite (run, config and selectors are merged with what is stored)',
      params,
      body: PatchSuite,
      response: TestSuite,
      handler: async ({ params, body, ctx }) => {
        const suite = await found('suite', params.suiteId, repo.get(ctx.workspace.id, params.suiteId));
        const run = body.run ? SuiteRun.parse({ ...suite.run, ...body.run }) : undefined;
        const config = body.config ? SuiteConfig.parse({ ...suite.config, ...body.config }) : undefined;
        const selectors = body.selectors
          ? SuiteSelectors.parse({ ...suite.selectors, ...body.selectors })
          : undefined;
        if (run || selectors) checkSuiteRun(run ?? suite.run, selectors ?? suite.selectors);
        if (config) await new PoolRepository(db).ensure(config.pool);
        return found(
          'suite',
          params.suiteId,
          repo.update(ctx.workspace.id, params.suiteId, { ...body, run, config, selectors }),
        );
      },
    }),
    route({
      method: 'delete',
      path: '/suites/:suiteId',
      tag: 'suites',
      summary: 'Delete a suite with its test cases, executions and results',
      params,
      status: 204,
      handler: ({ params, ctx }) =>
        removed('suite', params.suiteId, repo.delete(ctx.workspace.id, params.suiteId)),
    }),
  ];
}
