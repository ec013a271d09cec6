import { z } from 'zod';
import { accessOf, ProblemSchema, type ApiRoute } from './http';

type JsonSchema = Record<string, unknown>;

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
};

/** The OpenAPI 3.1 document of the routes, generated from the same zod schemas that validate them. */
export function openApiDocument(routes: ApiRoute[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const problem = { $ref: '#/components/schemas/Problem' };
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [location, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const json = schemaOf(schema, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        const { description, ...rest } = s;
        parameters.push({
          name,
          in: location,
          required: location === 'path' || (json.required ?? []).includes(name),
          ...(description ? { description } : {}),
          schema: rest,
        });
      }
    }
    const status = r.status ?? 200;
    const responses: Record<string, unknown> = {
      [status]: {
        description: STATUS_TEXT[status],
        ...(r.response && status !== 204
          ? { content: { 'application/json': { schema: schemaOf(r.response, 'output') } } }
          : {}),
      },
      400: {
        description: 'The request is invalid; `field` names what is wrong',
        content: { 'application/problem+json': { schema: problem } },
      },
    };
    const isPublic = accessOf(r).scope === 'public';
    if (!isPublic) {
      responses[401] = {
        description: 'No valid credentials: send Authorization: Bearer <session token or API key>',
        content: { 'application/problem+json': { schema: problem } },
      };
      responses[403] = {
        description: 'Not allowed: not a member of the workspace, or the role or key scope does not allow it',
        content: { 'application/problem+json': { schema: problem } },
      };
    }
    if (r.path.includes(':'))
      responses[404] = {
        description: 'Not found',
        content: { 'application/problem+json': { schema: problem } },
      };
    if (r.method === 'post' || r.method === 'patch' || r.method === 'put')
      responses[409] = {
        description: 'Conflicts with what is stored',
        content: { 'application/problem+json': { schema: problem } },
      };
    (paths[path] ??= {})[r.method] = {
      operationId: operationId(r),
      summary: r.summary,
      tags: [r.tag],
      ...(isPublic ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Verdict test orchestration API. Errors are RFC 9457 problem details.' },
    servers: [{ url: '/api/v1' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    security: [{ bearer: [] }],
    components: {
      schemas: { Problem: schemaOf(ProblemSchema, 'output') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A session token from POST /auth/login, or an API key from POST /api-keys',
        },
      },
    },
  };
}

function operationId(r: ApiRoute): string {
  const words = r.path
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `By${p.slice(1, 2).toUpperCase()}${p.slice(2)}` : p))
    .join('-')
    .split(/[-_]/)
    .map((w, i) => (i === 0 ? w : w.slice(0, 1).toUpperCase() + w.slice(1)));
  return `${r.method}${words.map((w) => w.slice(0, 1).toUpperCase() + w.slice(1)).join('')}`;
}
