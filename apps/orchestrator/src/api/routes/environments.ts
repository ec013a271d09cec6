import { z } from 'zod';
import { EnvironmentType, Id, Name, TestEnvironment } from '@verdict/contracts';
import {
  EnvironmentRepository,
  ProjectRepository,
  type EnvironmentFields,
  type SqlDatabase,
} from '@verdict/db';
import { pageOf, route } from '@verdict/http';
import { found, idParam, removed, nonEmpty, PageQuery, patchOf } from '@verdict/http';

const shape = TestEnvironment.shape;
const EnvironmentBody = z.strictObject({
  projectId: Id.nullable().default(null),
  name: Name,
  type: EnvironmentType,
  infrastructure: shape.infrastructure.default({ provider: 'local' }),
  services: shape.services.default([]),
  databases: shape.databases.default([]),
  variables: shape.variables.default({}),
  secrets: shape.secrets
    .default({})
    .describe('Secret references by name (a vault path, an env var name), never values'),
  resources: shape.resources.default({}),
  restrictions: shape.restrictions.default({}),
});

/** Secret references are still hints at where secrets live: the API names them, never shows them. */
const MASK = '********';
const masked = (e: TestEnvironment): TestEnvironment => ({
  ...e,
  secrets: Object.fromEntries(Object.keys(e.secrets).map((k) => [k, MASK])),
});

export function environmentRoutes(db: SqlDatabase) {
  const repo = new EnvironmentRepository(db);
  const params = idParam('environmentId');
  const checkProject = async (workspaceId: string, projectId: string | null | undefined) => {
    if (projectId) await found('project', projectId, new ProjectRepository(db).get(workspaceId, projectId));
  };
  return [
    route({
      method: 'post',
      path: '/environments',
      tag: 'environments',
      summary: 'Create an environment (secrets are stored as references and answered masked)',
      body: EnvironmentBody,
      response: TestEnvironment,
      status: 201,
      location: (e: TestEnvironment) => `/environments/${e.id}`,
      handler: async ({ body, ctx }) => {
        await checkProject(ctx.workspace.id, body.projectId);
        return masked(await repo.create(ctx.workspace.id, body as EnvironmentFields));
      },
    }),
    route({
      method: 'get',
      path: '/environments',
      tag: 'environments',
      summary: 'List environments',
      query: PageQuery.extend({ projectId: Id.optional(), type: EnvironmentType.optional() }),
      response: pageOf(TestEnvironment),
      handler: async ({ query, ctx }) => {
        const page = await repo.list(ctx.workspace.id, query, query);
        return { ...page, items: page.items.map(masked) };
      },
    }),
    route({
      method: 'get',
      path: '/environments/:environmentId',
      tag: 'environments',
      summary: 'Get an environment',
      params,
      response: TestEnvironment,
      handler: async ({ params, ctx }) =>
        masked(
          await found('environment', params.environmentId, repo.get(ctx.workspace.id, params.environmentId)),
        ),
    }),
    route({
      method: 'patch',
      path: '/environments/:environmentId',
      tag: 'environments',
      summary: 'Change an environment; a secret given as null is removed, one not given is kept',
      params,
      body: nonEmpty(
        patchOf(EnvironmentBody).extend({ secrets: z.record(z.string(), z.string().nullable()).optional() }),
      ),
      response: TestEnvironment,
      handler: async ({ params, body, ctx }) => {
        const current = await found(
          'environment',
          params.environmentId,
          repo.get(ctx.workspace.id, params.environmentId),
        );
        await checkProject(ctx.workspace.id, body.projectId);
        const secrets = { ...current.secrets };
        for (const [k, v] of Object.entries(body.secrets ?? {})) {
          if (v === null) delete secrets[k];
          else secrets[k] = v;
        }
        const { id: _id, workspaceId: _ws, createdAt: _c, updatedAt: _u, ...fields } = current;
        const next = { ...fields, ...body, secrets } as EnvironmentFields;
        return masked((await repo.replace(ctx.workspace.id, params.environmentId, next))!);
      },
    }),
    route({
      method: 'delete',
      path: '/environments/:environmentId',
      tag: 'environments',
      summary: 'Delete an environment (executions keep their results; their environment becomes null)',
      params,
      status: 204,
      handler: ({ params, ctx }) =>
        removed('environment', params.environmentId, repo.delete(ctx.workspace.id, params.environmentId)),
    }),
  ];
}
