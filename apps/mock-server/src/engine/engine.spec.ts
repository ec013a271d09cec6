import type { MockDefinition } from '@verdict/db';
import { importOpenApi } from '../openapi-import';
import { jsonContains } from '../scenario-runner';
import { compileMock } from './compile';
import { JsonPathError, parseJsonPath, readJsonPath } from './json-path';
import { compileValue, TemplateError, type MockRequest } from './template';

const request = (over: Partial<MockRequest> = {}): MockRequest => {
  const body = over.bodyText ?? '';
  return {
    method: 'GET',
    path: '/',
    url: '/',
    query: new URLSearchParams(),
    headers: {},
    params: {},
    bodyText: body,
    json: () => (body ? JSON.parse(body) : undefined),
    ...over,
  };
};

const response = (tag: string) => ({ status: 200, headers: {}, body: { tag }, delayMs: 0, fault: null });
const route = (method: string, path: string, n: number) => ({
  id: `r${n}`,
  mockId: 'm',
  method: method as 'GET',
  path,
  description: null,
  response: response(path),
  conditions: [],
  createdAt: '',
  updatedAt: '',
});

describe('JSON paths', () => {
  it('reads dotted, bracketed and indexed steps, with or without $', () => {
    const doc = { a: { 'b c': [{ d: 1 }, { d: 2 }] }, x: null };
    expect(readJsonPath(doc, parseJsonPath("$.a['b c'][1].d"))).toBe(2);
    expect(readJsonPath(doc, parseJsonPath('a["b c"][0].d'))).toBe(1);
    expect(readJsonPath(doc, parseJsonPath('$.x.y'))).toBeUndefined();
    expect(readJsonPath(doc, parseJsonPath('$'))).toBe(doc);
  });

  it('refuses what does not parse, saying where', () => {
    expect(() => parseJsonPath('$.a..b')).toThrow(JsonPathError);
    expect(() => parseJsonPath('$.a[')).toThrow(/character 4/);
    expect(() => parseJsonPath('')).toThrow(/empty/);
  });
});

describe('templates', () => {
  it('fills strings from the request and keeps the type of a lone placeholder', () => {
    const t = compileValue(
      {
        id: '{{request.body.order.id}}',
        label: 'order {{request.body.order.id}} for {{request.query.who}}',
        n: 3,
      },
      null,
    )!;
    const req = request({ bodyText: '{"order":{"id":42}}', query: new URLSearchParams('who=ann') });
    expect(t(req)).toEqual({ id: 42, label: 'order 42 for ann', n: 3 });
    expect(compileValue({ plain: 'text', list: [1, 'two'] }, null)).toBeNull();
  });

  it('refuses unknown placeholders and path parameters the route does not have', () => {
    expect(() => compileValue('{{request.cookies.x}}', null)).toThrow(TemplateError);
    expect(() => compileValue('{{request.path.id}}', ['userId'])).toThrow(/:userId/);
    expect(() => compileValue('{{request.body.a..b}}', null)).toThrow(/JSON path/);
  });
});

describe('route matching', () => {
  const def = (paths: [string, string][]): MockDefinition => ({
    mock: {
      id: 'm',
      workspaceId: 'w',
      name: 'm',
      description: null,
      protocol: 'REST',
      status: 'ACTIVE',
      responseDelayMs: 0,
      port: null,
      metadata: {},
      activeResponseSet: null,
      basePath: '/mocks/m',
      createdAt: '',
      updatedAt: '',
    },
    routes: paths.map(([m, p], i) => route(m, p, i)),
    setResponses: [],
  });

  it('prefers literal segments to parameters, and a wildcard last, whatever the order of creation', () => {
    const mock = compileMock(
      def([
        ['GET', '/files/*'],
        ['GET', '/users/:id'],
        ['GET', '/users/me'],
        ['GET', '/users/:id/orders/:orderId'],
        ['POST', '/users/:id'],
      ]),
    );
    const label = (m: string, p: string) => mock.match(m, p)?.route.label;
    expect(label('GET', '/users/me')).toBe('GET /users/me');
    expect(label('GET', '/users/me/')).toBe('GET /users/me');
    expect(label('GET', '/users/42')).toBe('GET /users/:id');
    expect(mock.match('GET', '/users/a%20b/orders/9')?.params).toEqual({ id: 'a b', orderId: '9' });
    expect(mock.match('GET', '/files/a/b/c.txt')?.params).toEqual({ '*': 'a/b/c.txt' });
    expect(label('DELETE', '/users/42')).toBeUndefined();
    expect(label('GET', '/users')).toBeUndefined();
    expect(mock.closest('GET', '/user/42')[0]).toBe('GET /users/:id');
  });
});

describe('OpenAPI samples and body matching', () => {
  it('builds answers from allOf, oneOf, nullable types and references', () => {
    const api = importOpenApi({
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      paths: {
        '/a': {
          get: {
            responses: {
              '201': {
                content: {
                  'application/json': {
                    schema: {
                      allOf: [
                        { $ref: '#/components/schemas/Base' },
                        { properties: { extra: { type: ['null', 'boolean'] } } },
                      ],
                    },
                  },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Base: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid' },
              v: { oneOf: [{ type: 'number' }, { type: 'string' }] },
            },
          },
        },
      },
    });
    expect(api.routes[0].response).toMatchObject({
      status: 201,
      body: { id: '00000000-0000-4000-8000-000000000000', v: 1.5, extra: true },
    });
    expect(() =>
      importOpenApi({
        openapi: '3.0.0',
        paths: { '/a': { get: { responses: { '200': { $ref: 'http://x/y' } } } } },
      }),
    ).toThrow(/local references/);
  });

  it('matches objects in part and arrays whole', () => {
    expect(jsonContains({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { c: [1, 2] } })).toBe(true);
    expect(jsonContains({ a: 1, b: { c: [1, 2] } }, { b: { c: [1] } })).toBe(false);
    expect(jsonContains({ a: 1 }, { a: '1' })).toBe(false);
  });
});
