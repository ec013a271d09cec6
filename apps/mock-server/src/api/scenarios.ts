import { z } from 'zod';
import { Name, Scenario, ScenarioAction, ScenarioResult, ScenarioStatus } from '@verdict/contracts';
import { ScenarioRepository } from '@verdict/db';
import { found, idParam, pageOf, PageQuery, removed, route } from '@verdict/http';
import type { MockServerContext } from './context';

const ScenarioBody = z.strictObject({
  name: Name,
  description: z.string().max(2000).nullable().default(null),
  actions: z.array(ScenarioAction).max(1000).default([]),
});

/** Ordered action scenarios: CRUD, runs and their results. */
export function scenarioRoutes(ctx: MockServerContext) {
  const repo = new ScenarioRepository(ctx.db);
  const params = idParam('scenarioId');
  const get = (workspaceId: string, id: string) => found('scenario', id, repo.get(workspaceId, id));
  return [
    route({
      method: 'post',
      path: '/scenarios',
      tag: 'scenarios',
      summary: 'Create a scenario: ordered START_MOCK, STOP_MOCK, SET_DELAY, WAIT and HTTP_REQUEST actions',
      body: ScenarioBody,
      response: Scenario,
      status: 201,
      location: (s: Scenario) => `/scenarios/${s.id}`,
      handler: ({ body, ctx: rc }) => repo.create(rc.workspace.id, body),
    }),
    route({
      method: 'put',
      path: '/scenarios/by-name/:name',
      tag: 'scenarios',
      summary: 'Create or replace the scenario of this name (what `verdict scenario run <file>` does)',
      params: z.object({ name: Name }),
      body: ScenarioBody.omit({ name: true }),
      response: Scenario,
      handler: async ({ params, body, ctx: rc }) => {
        const current = await repo.getByName(rc.workspace.id, params.name);
        const fields = { ...body, name: params.name };
        return current
          ? (await repo.replace(rc.workspace.id, current.id, fields))!
          : repo.create(rc.workspace.id, fields);
      },
    }),
    route({
      method: 'get',
      path: '/scenarios',
      tag: 'scenarios',
      summary: 'List scenarios',
      query: PageQuery.extend({ status: ScenarioStatus.optional(), name: z.string().optional() }),
      response: pageOf(Scenario),
      handler: ({ query, ctx: rc }) => repo.list(rc.workspace.id, query, query),
    }),
    route({
      method: 'get',
      path: '/scenarios/:scenarioId',
      tag: 'scenarios',
      summary: 'Get a scenario with its actions',
      params,
      response: Scenario,
      handler: ({ params, ctx: rc }) => get(rc.workspace.id, params.scenarioId),
    }),
    route({
      method: 'put',
      path: '/scenarios/:scenarioId',
      tag: 'scenarios',
      summary: 'Replace a scenario and its actions',
      params,
      body: ScenarioBody,
      response: Scenario,
      handler: ({ params, body, ctx: rc }) =>
        found('scenario', params.scenarioId, repo.replace(rc.workspace.id, params.scenarioId, body)),
    }),
    route({
      method: 'delete',
      path: '/scenarios/:scenarioId',
      tag: 'scenarios',
      summary: 'Delete a scenario with its results',
      params,
      status: 204,
      handler: ({ params, ctx: rc }) =>
        removed('scenario', params.scenarioId, repo.delete(rc.workspace.id, params.scenarioId)),
    }),
    route({
      method: 'post',
      path: '/scenarios/:scenarioId/runs',
      tag: 'scenarios',
      summary:
        "Run the scenario now and answer its result: SUCCESS, PARTIAL or FAILED with every action's outcome",
      params,
      body: z.strictObject({
        executionId: z
          .string()
          .max(200)
          .nullable()
          .default(null)
          .describe('The Verdict execution this run belongs to: sent as X-Verdict-Execution on its requests'),
      }),
      response: ScenarioResult,
      status: 201,
      handler: async ({ params, body, ctx: rc }) =>
        ctx.runner.run(await get(rc.workspace.id, params.scenarioId), { executionId: body.executionId }),
    }),
    route({
      method: 'get',
      path: '/scenarios/:scenarioId/runs',
      tag: 'scenarios',
      summary: "The scenario's results, newest first",
      params,
      query: PageQuery.extend({
        status: z.enum(['SUCCESS', 'FAILED', 'PARTIAL']).optional(),
        executionId: z.string().optional(),
      }),
      response: pageOf(ScenarioResult),
      handler: async ({ params, query, ctx: rc }) => {
        await get(rc.workspace.id, params.scenarioId);
        return repo.listResults(params.scenarioId, query, query);
      },
    }),
  ];
}
