import { z } from 'zod';
import { Name, Project, Slug } from '@verdict/contracts';
import { ProjectRepository, type SqlDatabase } from '@verdict/db';
import { pageOf, route } from '@verdict/http';
import { found, idParam, removed, nonEmpty, PageQuery } from '@verdict/http';

const ProjectFields = z.strictObject({
  name: Name,
  slug: Slug,
  description: z.string().max(10_000).nullable().optional(),
  repositoryUrl: z.string().min(1).max(2000).nullable().optional(),
  defaultBranch: z.string().min(1).max(255).optional(),
});

export function projectRoutes(db: SqlDatabase) {
  const repo = new ProjectRepository(db);
  const params = idParam('projectId');
  return [
    route({
      method: 'post',
      path: '/projects',
      tag: 'projects',
      summary: 'Create a project',
      body: ProjectFields,
      response: Project,
      status: 201,
      location: (p: Project) => `/projects/${p.id}`,
      handler: ({ body, ctx }) => repo.create({ ...body, workspaceId: ctx.workspace.id }),
    }),
    route({
      method: 'get',
      path: '/projects',
      tag: 'projects',
      summary: 'List the projects of the workspace',
      query: PageQuery,
      response: pageOf(Project),
      handler: ({ query, ctx }) => repo.list(ctx.workspace.id, query.limit, query.offset),
    }),
    route({
      method: 'get',
      path: '/projects/:projectId',
      tag: 'projects',
      summary: 'Get a project',
      params,
      response: Project,
      handler: ({ params, ctx }) =>
        found('project', params.projectId, repo.get(ctx.workspace.id, params.projectId)),
    }),
    route({
      method: 'patch',
      path: '/projects/:projectId',
      tag: 'projects',
      summary: 'Change a project',
      params,
      body: nonEmpty(ProjectFields.partial()),
      response: Project,
      handler: ({ params, body, ctx }) =>
        found('project', params.projectId, repo.update(ctx.workspace.id, params.projectId, body)),
    }),
    route({
      method: 'delete',
      path: '/projects/:projectId',
      tag: 'projects',
      summary: 'Delete a project with its suites, executions and results',
      params,
      status: 204,
      handler: ({ params, ctx }) =>
        removed('project', params.projectId, repo.delete(ctx.workspace.id, params.projectId)),
    }),
  ];
}
