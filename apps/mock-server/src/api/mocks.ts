import { z } from 'zod';
import {
  ConditionOperator,
  Id,
  JsonObject,
  Mock,
  MockCondition,
  MockMethod,
  MockName,
  MockPath,
  MockProtocol,
  MockResponse,
  MockRoute,
  MockStatus,
  Name,
  ParameterSource,
  ResponseSet,
  SetResponse,
  ValidationError,
} from '@verdict/contracts';
import { MockRepository, type MockFields } from '@verdict/db';
import { found, idParam, nonEmpty, pageOf, PageQuery, patchOf, removed, route } from '@verdict/http';
import { checkCondition, checkRoute } from '../engine/check';
import { importOpenApi } from '../openapi-import';
import { findMock, served, type MockServerContext } from './context';

const ConditionBody = z.strictObject({
  parameterName: z.string().min(1).max(500),
  parameterSource: ParameterSource,
  operator: ConditionOperator,
  expectedValue: z.string().max(10_000),
  response: MockResponse,
  priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
});

const RouteBody = z.strictObject({
  method: MockMethod,
  path: MockPath,
  description: z.string().max(2000).nullable().default(null),
  response: MockResponse.default({ status: 200, headers: {}, delayMs: 0, fault: null }),
  conditions: z.array(ConditionBody).max(200).default([]),
});
type RouteBody = z.output<typeof RouteBody>;

const MockBody = z.strictObject({
  name: MockName,
  description: z.string().max(2000).nullable().default(null),
  protocol: MockProtocol.default('REST'),
  status: MockStatus.default('ACTIVE'),
  responseDelayMs: z.number().int().min(0).max(60_000).default(0),
  port: z.number().int().min(1).max(65535).nullable().default(null),
  metadata: JsonObject.default({}),
  routes: z.array(RouteBody).max(1000).default([]),
});

const RouteWithConditions = MockRoute.extend({ conditions: z.array(MockCondition) });
const MockWithRoutes = Mock.extend({ routes: z.array(RouteWithConditions) });

const ResponseSetBody = z.strictObject({
  name: Name,
  description: z.string().max(2000).nullable().default(null),
  responses: z.array(SetResponse).max(1000).default([]),
});

const ImportBody = z.strictObject({
  name: MockName,
  description: z.string().max(2000).nullable().default(null),
  /** The OpenAPI 3 document: JSON or YAML text, or the parsed object. */
  spec: z.union([z.string().min(1), JsonObject]),
  port: z.number().int().min(1).max(65535).nullable().default(null),
  responseDelayMs: z.number().int().min(0).max(60_000).default(0),
});

/** Only REST is served: a GRPC or KAFKA mock would be accepted and then never answer, so it is refused. */
function checkProtocol(protocol: string): void {
  if (protocol !== 'REST')
    throw new ValidationError(
      `${protocol} mocks are not supported: this stub manager serves REST only (HTTP routes with conditions); model the service's HTTP gateway instead`,
      'protocol',
    );
}

function checkRoutes(routes: RouteBody[]): void {
  const seen = new Set<string>();
  routes.forEach((r, i) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) throw new ValidationError(`route ${key} is given twice`, `routes.${i}.path`);
    seen.add(key);
    checkRoute(r, `routes.${i}`);
  });
}

export function mockRoutes(ctx: MockServerContext) {
  const repo = new MockRepository(ctx.db);
  const mockParam = idParam('mockId');
  const routeParam = z.object({ mockId: Id, routeId: Id });
  const conditionParam = routeParam.extend({ conditionId: Id });
  const setParam = z.object({ mockId: Id, setId: Id });

  const getMock = (workspaceId: string, id: string) => findMock(ctx, workspaceId, id);
  const getRoute = async (workspaceId: string, mockId: string, routeId: string) => {
    await getMock(workspaceId, mockId);
    return found('route', routeId, repo.getRoute(mockId, routeId));
  };
  const withRoutes = async (mock: Mock) => {
    const routes = await repo.listRoutes(mock.id, { limit: 1000, offset: 0 });
    return {
      ...mock,
      routes: await Promise.all(
        routes.items.map(async (r) => ({ ...r, conditions: await repo.listConditions(r.id) })),
      ),
    };
  };
  /** Saves a mock with its routes in one transaction, then serves it. */
  const createMock = async (workspaceId: string, fields: MockFields, routes: RouteBody[]) => {
    checkProtocol(fields.protocol);
    checkRoutes(routes);
    if (fields.port !== null) await ctx.ports.probe(fields.port);
    const mock = await ctx.db.transaction(async (tx) => {
      const r = new MockRepository(tx);
      const m = await r.create(workspaceId, fields);
      for (const route of routes) {
        const saved = await r.createRoute(m.id, route);
        for (const c of route.conditions) await r.createCondition(saved.id, c);
      }
      return m;
    });
    await ctx.catalog.refresh();
    return withRoutes(mock);
  };
  const changed = <T>(value: T) => served(ctx, value);

  return [
    route({
      method: 'post',
      path: '/mocks',
      tag: 'mocks',
      summary:
        'Create a mock, with its routes and their conditions if given; it is served at once under /mocks/{name}',
      body: MockBody,
      response: MockWithRoutes,
      status: 201,
      location: (m: Mock) => `/mocks/${m.id}`,
      handler: async ({ body, ctx: rc }) => {
        const { routes, ...fields } = body;
        return createMock(rc.workspace.id, fields, routes);
      },
    }),
    route({
      method: 'post',
      path: '/mocks/import',
      tag: 'mocks',
      summary:
        'Create a mock from an OpenAPI 3 document (JSON or YAML): a route per operation answering its example, or a response generated from its schema',
      body: ImportBody,
      response: MockWithRoutes,
      status: 201,
      location: (m: Mock) => `/mocks/${m.id}`,
      handler: async ({ body, ctx: rc }) => {
        const imported = importOpenApi(body.spec);
        return createMock(
          rc.workspace.id,
          {
            name: body.name,
            description: body.description ?? imported.title,
            protocol: 'REST',
            status: 'ACTIVE',
            responseDelayMs: body.responseDelayMs,
            port: body.port,
            metadata: { importedFrom: 'openapi', title: imported.title, version: imported.version },
          },
          imported.routes.map((r) => ({ ...r, conditions: [] })),
        );
      },
    }),
    route({
      method: 'get',
      path: '/mocks',
      tag: 'mocks',
      summary: 'List mocks',
      query: PageQuery.extend({
        status: MockStatus.optional(),
        protocol: MockProtocol.optional(),
        name: z.string().max(100).optional().describe('Part of the name'),
      }),
      response: pageOf(Mock),
      handler: ({ query, ctx: rc }) => repo.list(rc.workspace.id, query, query),
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId',
      tag: 'mocks',
      summary: 'Get a mock with its routes and conditions',
      params: mockParam,
      response: MockWithRoutes,
      handler: async ({ params, ctx: rc }) => withRoutes(await getMock(rc.workspace.id, params.mockId)),
    }),
    route({
      method: 'patch',
      path: '/mocks/:mockId',
      tag: 'mocks',
      summary: 'Change a mock: start or stop it (status), its delay, port, name, description or metadata',
      params: mockParam,
      body: nonEmpty(patchOf(MockBody.omit({ routes: true, protocol: true }))),
      response: Mock,
      handler: async ({ params, body, ctx: rc }) => {
        const current = await getMock(rc.workspace.id, params.mockId);
        if (body.port !== undefined && body.port !== null && body.port !== current.port)
          await ctx.ports.probe(body.port);
        return changed((await repo.update(rc.workspace.id, params.mockId, body as Partial<MockFields>))!);
      },
    }),
    route({
      method: 'delete',
      path: '/mocks/:mockId',
      tag: 'mocks',
      summary:
        'Delete a mock with its routes, conditions, response sets and webhooks (its journal stays until it expires)',
      params: mockParam,
      status: 204,
      handler: async ({ params, ctx: rc }) =>
        changed(await removed('mock', params.mockId, repo.delete(rc.workspace.id, params.mockId))),
    }),

    // ---- routes
    route({
      method: 'post',
      path: '/mocks/:mockId/routes',
      tag: 'mock routes',
      summary: 'Add a route (path template such as /users/:id) with its default answer and conditions',
      params: mockParam,
      body: RouteBody,
      response: RouteWithConditions,
      status: 201,
      location: (r: MockRoute) => `/mocks/${r.mockId}/routes/${r.id}`,
      handler: async ({ params, body, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        checkRoute(body);
        const { conditions, ...fields } = body;
        const saved = await ctx.db.transaction(async (tx) => {
          const r = new MockRepository(tx);
          const created = await r.createRoute(params.mockId, fields);
          const conds = [];
          for (const c of conditions) conds.push(await r.createCondition(created.id, c));
          return { ...created, conditions: conds };
        });
        return changed(saved);
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/routes',
      tag: 'mock routes',
      summary: "List a mock's routes",
      params: mockParam,
      query: PageQuery,
      response: pageOf(MockRoute),
      handler: async ({ params, query, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        return repo.listRoutes(params.mockId, query);
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/routes/:routeId',
      tag: 'mock routes',
      summary: 'Get a route with its conditions, highest priority first',
      params: routeParam,
      response: RouteWithConditions,
      handler: async ({ params, ctx: rc }) => {
        const r = await getRoute(rc.workspace.id, params.mockId, params.routeId);
        return { ...r, conditions: await repo.listConditions(r.id) };
      },
    }),
    route({
      method: 'patch',
      path: '/mocks/:mockId/routes/:routeId',
      tag: 'mock routes',
      summary: "Change a route's method, path, description or default answer",
      params: routeParam,
      body: nonEmpty(patchOf(RouteBody.omit({ conditions: true }))),
      response: MockRoute,
      handler: async ({ params, body, ctx: rc }) => {
        const current = await getRoute(rc.workspace.id, params.mockId, params.routeId);
        const next = { ...current, ...body } as MockRoute;
        // A new path must still suit the route's conditions (path parameters) and answer templates.
        checkRoute({ ...next, conditions: await repo.listConditions(current.id) });
        return changed((await repo.updateRoute(params.mockId, params.routeId, body as Partial<MockRoute>))!);
      },
    }),
    route({
      method: 'delete',
      path: '/mocks/:mockId/routes/:routeId',
      tag: 'mock routes',
      summary: 'Delete a route and its conditions',
      params: routeParam,
      status: 204,
      handler: async ({ params, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        return changed(
          await removed('route', params.routeId, repo.deleteRoute(params.mockId, params.routeId)),
        );
      },
    }),

    // ---- conditions
    route({
      method: 'post',
      path: '/mocks/:mockId/routes/:routeId/conditions',
      tag: 'mock routes',
      summary:
        'Add a condition: when the parameter (QUERY, HEADER, PATH, or BODY by JSON path) compares true, answer this instead',
      params: routeParam,
      body: ConditionBody,
      response: MockCondition,
      status: 201,
      location: (c: MockCondition) => `/conditions/${c.id}`,
      handler: async ({ params, body, ctx: rc }) => {
        const r = await getRoute(rc.workspace.id, params.mockId, params.routeId);
        checkCondition(body, r.path);
        return changed(await repo.createCondition(r.id, body));
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/routes/:routeId/conditions',
      tag: 'mock routes',
      summary: "A route's conditions, highest priority first",
      params: routeParam,
      response: z.array(MockCondition),
      handler: async ({ params, ctx: rc }) => {
        const r = await getRoute(rc.workspace.id, params.mockId, params.routeId);
        return repo.listConditions(r.id);
      },
    }),
    route({
      method: 'patch',
      path: '/mocks/:mockId/routes/:routeId/conditions/:conditionId',
      tag: 'mock routes',
      summary: 'Change a condition',
      params: conditionParam,
      body: nonEmpty(patchOf(ConditionBody)),
      response: MockCondition,
      handler: async ({ params, body, ctx: rc }) => {
        const r = await getRoute(rc.workspace.id, params.mockId, params.routeId);
        const current = await found(
          'condition',
          params.conditionId,
          repo.getCondition(r.id, params.conditionId),
        );
        checkCondition({ ...current, ...body } as MockCondition, r.path);
        return changed(
          (await repo.updateCondition(r.id, params.conditionId, body as Partial<MockCondition>))!,
        );
      },
    }),
    route({
      method: 'delete',
      path: '/mocks/:mockId/routes/:routeId/conditions/:conditionId',
      tag: 'mock routes',
      summary: 'Delete a condition',
      params: conditionParam,
      status: 204,
      handler: async ({ params, ctx: rc }) => {
        const r = await getRoute(rc.workspace.id, params.mockId, params.routeId);
        return changed(
          await removed('condition', params.conditionId, repo.deleteCondition(r.id, params.conditionId)),
        );
      },
    }),

    // ---- response sets (mockloop's scenarios)
    ...responseSetRoutes(ctx, repo, getMock, mockParam, setParam),
  ];
}

function responseSetRoutes(
  ctx: MockServerContext,
  repo: MockRepository,
  getMock: (workspaceId: string, id: string) => Promise<Mock>,
  mockParam: z.ZodObject<{ mockId: typeof Id }>,
  setParam: z.ZodObject<{ mockId: typeof Id; setId: typeof Id }>,
) {
  /** Each answer must replace a route the mock has, and its templates must suit that route. */
  const checkSet = async (mockId: string, responses: SetResponse[]) => {
    const routes = await repo.listRoutes(mockId, { limit: 1000, offset: 0 });
    const keys = new Set(routes.items.map((r) => `${r.method} ${r.path}`));
    responses.forEach((r, i) => {
      if (!keys.has(`${r.method} ${r.path}`))
        throw new ValidationError(
          `the mock has no route ${r.method} ${r.path}; a response set answers for routes it has (${[...keys].slice(0, 5).join(', ') || 'none yet'})`,
          `responses.${i}.path`,
        );
      checkRoute({ path: r.path, response: r.response }, `responses.${i}`);
    });
  };
  return [
    route({
      method: 'post',
      path: '/mocks/:mockId/response-sets',
      tag: 'response sets',
      summary: "Create a named response set: answers that replace routes' own while the set is active",
      params: mockParam,
      body: ResponseSetBody,
      response: ResponseSet,
      status: 201,
      location: (s: ResponseSet) => `/mocks/${s.mockId}/response-sets/${s.id}`,
      handler: async ({ params, body, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        await checkSet(params.mockId, body.responses);
        return repo.createSet(params.mockId, body);
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/response-sets',
      tag: 'response sets',
      summary: "A mock's response sets; isActive marks the one in use",
      params: mockParam,
      response: z.array(ResponseSet),
      handler: async ({ params, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        return repo.listSets(params.mockId);
      },
    }),
    route({
      method: 'get',
      path: '/mocks/:mockId/response-sets/:setId',
      tag: 'response sets',
      summary: 'Get a response set',
      params: setParam,
      response: ResponseSet,
      handler: async ({ params, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        return found('response set', params.setId, repo.getSet(params.mockId, params.setId));
      },
    }),
    route({
      method: 'put',
      path: '/mocks/:mockId/response-sets/:setId',
      tag: 'response sets',
      summary: 'Replace a response set (served at once when it is active)',
      params: setParam,
      body: ResponseSetBody,
      response: ResponseSet,
      handler: async ({ params, body, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        await checkSet(params.mockId, body.responses);
        return served(
          ctx,
          await found('response set', params.setId, repo.replaceSet(params.mockId, params.setId, body)),
        );
      },
    }),
    route({
      method: 'delete',
      path: '/mocks/:mockId/response-sets/:setId',
      tag: 'response sets',
      summary: 'Delete a response set (when it was active, routes answer with their own again)',
      params: setParam,
      status: 204,
      handler: async ({ params, ctx: rc }) => {
        await getMock(rc.workspace.id, params.mockId);
        return served(
          ctx,
          await removed('response set', params.setId, repo.deleteSet(params.mockId, params.setId)),
        );
      },
    }),
    route({
      method: 'put',
      path: '/mocks/:mockId/active-response-set',
      tag: 'response sets',
      summary: 'Switch the active response set by name (null: none); answers change at once',
      params: mockParam,
      body: z.strictObject({ name: Name.nullable() }),
      response: Mock,
      handler: async ({ params, body, ctx: rc }) => {
        const mock = await getMock(rc.workspace.id, params.mockId);
        if (!(await repo.activateSet(mock.id, body.name)))
          throw new ValidationError(
            `the mock "${mock.name}" has no response set named "${body.name}"`,
            'name',
          );
        await ctx.catalog.refresh();
        await ctx.events.emit(mock, 'scenario.switched', { from: mock.activeResponseSet, to: body.name });
        return (await repo.get(rc.workspace.id, mock.id))!;
      },
    }),
  ];
}
