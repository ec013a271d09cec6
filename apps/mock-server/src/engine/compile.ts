import type {
  ConditionOperator,
  Mock,
  MockCondition,
  MockResponse,
  ParameterSource,
} from '@verdict/contracts';
import { ValidationError } from '@verdict/contracts';
import type { MockDefinition } from '@verdict/db';
import { JsonPathError, parseJsonPath, readJsonPath } from './json-path';
import { compileString, compileValue, templateText, TemplateError, type MockRequest } from './template';

/** An answer ready to send: static parts serialized once, templates compiled once. */
export interface CompiledResponse {
  status: number;
  headers: Record<string, string>;
  /** Header values with placeholders. */
  headerTemplates: [string, (r: MockRequest) => unknown][];
  /** The body when it has no placeholders. */
  body: Buffer;
  render: ((r: MockRequest) => string) | null;
  delayMs: number;
  fault: MockResponse['fault'];
}

export interface CompiledCondition {
  id: string;
  test: (r: MockRequest) => boolean;
  response: CompiledResponse;
}

export interface CompiledRoute {
  id: string;
  method: string;
  path: string;
  /** "GET /users/:id" */
  label: string;
  segments: { literal: string | null; param: string | null; rest: boolean }[];
  literals: number;
  conditions: CompiledCondition[];
  response: CompiledResponse;
  /** The active response set's answer for this route, when it has one. */
  setResponse: CompiledResponse | null;
}

export interface CompiledMock {
  mock: Mock;
  routes: CompiledRoute[];
  match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null;
  /** The routes nearest a path that matched nothing, best first. */
  closest(method: string, path: string, n?: number): string[];
}

export const pathParams = (template: string): string[] =>
  template
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));

/** Compiles an answer; throws TemplateError for a placeholder that cannot work. */
export function compileResponse(r: MockResponse, params: string[] | null): CompiledResponse {
  const headers: Record<string, string> = {};
  const headerTemplates: [string, (req: MockRequest) => unknown][] = [];
  let hasType = false;
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    if (name.toLowerCase() === 'content-type') hasType = true;
    const t = compileString(value, params);
    if (t) headerTemplates.push([name, t]);
    else headers[name] = value;
  }
  const isText = typeof r.body === 'string';
  if (!hasType && r.body !== undefined)
    headers['content-type'] = isText ? 'text/plain; charset=utf-8' : 'application/json';
  const template = r.body === undefined ? null : compileValue(r.body, params);
  const serialize = (v: unknown) => (isText ? templateText(v) : JSON.stringify(v));
  return {
    status: r.status ?? 200,
    headers,
    headerTemplates,
    body: Buffer.from(r.body === undefined ? '' : isText ? (r.body as string) : JSON.stringify(r.body)),
    render: template ? (req) => serialize(template(req)) : null,
    delayMs: r.delayMs ?? 0,
    fault: r.fault ?? null,
  };
}

type Condition = Pick<MockCondition, 'parameterName' | 'parameterSource' | 'operator' | 'expectedValue'>;

/** A condition's test. Throws ValidationError naming the field when it could never work. */
export function compileTest(c: Condition, routePath: string): (r: MockRequest) => boolean {
  const read = reader(c.parameterSource, c.parameterName, routePath);
  const expected = c.expectedValue;
  const op: ConditionOperator = c.operator;
  if (op === 'GREATER_THAN' || op === 'LESS_THAN') {
    const bound = Number(expected);
    if (expected.trim() === '' || !Number.isFinite(bound))
      throw new ValidationError(
        `${op} compares numbers; expectedValue "${expected}" is not one`,
        'expectedValue',
      );
    return (r) => {
      const v = read(r);
      if (v === undefined || v === null || v === '') return false;
      const n = Number(v);
      return Number.isFinite(n) && (op === 'GREATER_THAN' ? n > bound : n < bound);
    };
  }
  if (op === 'REGEX') {
    let re: RegExp;
    try {
      re = new RegExp(expected);
    } catch (error) {
      throw new ValidationError(
        `expectedValue is not a valid regular expression: ${(error as Error).message}`,
        'expectedValue',
      );
    }
    return (r) => {
      const v = read(r);
      return v !== undefined && re.test(asText(v));
    };
  }
  const contains = (v: unknown) =>
    Array.isArray(v) ? v.some((x) => asText(x) === expected) : asText(v).includes(expected);
  switch (op) {
    case 'EQUALS':
      return (r) => {
        const v = read(r);
        return v !== undefined && asText(v) === expected;
      };
    case 'NOT_EQUALS':
      return (r) => {
        const v = read(r);
        return v === undefined || asText(v) !== expected;
      };
    case 'CONTAINS':
      return (r) => {
        const v = read(r);
        return v !== undefined && contains(v);
      };
    case 'NOT_CONTAINS':
      return (r) => {
        const v = read(r);
        return v === undefined || !contains(v);
      };
  }
  throw new ValidationError(`unknown operator ${String(op)}`, 'operator');
}

const asText = (v: unknown) =>
  typeof v === 'string' ? v : v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function reader(source: ParameterSource, name: string, routePath: string): (r: MockRequest) => unknown {
  switch (source) {
    case 'QUERY':
      return (r) => {
        const all = r.query.getAll(name);
        return all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
      };
    case 'HEADER': {
      const lower = name.toLowerCase();
      return (r) => r.headers[lower];
    }
    case 'PATH': {
      const params = pathParams(routePath);
      if (!params.includes(name))
        throw new ValidationError(
          `parameterName "${name}" is no parameter of the route's path ${routePath} (${params.length ? params.map((p) => `:${p}`).join(', ') : 'it has none'})`,
          'parameterName',
        );
      return (r) => r.params[name];
    }
    case 'BODY': {
      let path;
      try {
        path = parseJsonPath(name);
      } catch (error) {
        if (error instanceof JsonPathError) throw new ValidationError(error.message, 'parameterName');
        throw error;
      }
      return (r) => readJsonPath(r.json(), path);
    }
  }
}

/** Checks an answer as it will be compiled, naming the field at fault. */
export function checkResponse(r: MockResponse, params: string[] | null, field: string): void {
  try {
    compileResponse(r, params);
  } catch (error) {
    if (error instanceof TemplateError) throw new ValidationError(error.message, field);
    throw error;
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function compileSegments(template: string): CompiledRoute['segments'] {
  return splitPath(template).map((s) =>
    s === '*'
      ? { literal: null, param: null, rest: true }
      : s.startsWith(':')
        ? { literal: null, param: s.slice(1), rest: false }
        : { literal: s, param: null, rest: false },
  );
}

function matchSegments(route: CompiledRoute, parts: string[]): Record<string, string> | null {
  const segs = route.segments;
  const params: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s.rest) {
      params['*'] = parts.slice(i).join('/');
      return params;
    }
    const p = parts[i];
    if (p === undefined) return null;
    if (s.literal !== null) {
      if (s.literal !== p) return null;
    } else {
      if (p === '') return null;
      try {
        params[s.param!] = decodeURIComponent(p);
      } catch {
        params[s.param!] = p;
      }
    }
  }
  return parts.length === segs.length ? params : null;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** Compiles a mock's definition for serving. Definitions are checked when saved, so this does not throw on them. */
export function compileMock(def: MockDefinition): CompiledMock {
  const setByKey = new Map(def.setResponses.map((s) => [`${s.method} ${s.path}`, s.response]));
  const routes: CompiledRoute[] = def.routes.map((r) => {
    const params = pathParams(r.path);
    const segments = compileSegments(r.path);
    const set = setByKey.get(`${r.method} ${r.path}`);
    return {
      id: r.id,
      method: r.method,
      path: r.path,
      label: `${r.method} ${r.path}`,
      segments,
      literals: segments.filter((s) => s.literal !== null).length,
      conditions: r.conditions.map((c) => ({
        id: c.id,
        test: compileTest(c, r.path),
        response: compileResponse(c.response, params),
      })),
      response: compileResponse(r.response, params),
      setResponse: set ? compileResponse(set, params) : null,
    };
  });
  // Literal routes by exact key; the rest tried most specific first (more literal segments, a wildcard last).
  const exact = new Map<string, CompiledRoute>();
  const dynamic = new Map<string, CompiledRoute[]>();
  for (const r of routes) {
    if (r.segments.every((s) => s.literal !== null)) {
      exact.set(`${r.method} /${r.segments.map((s) => s.literal).join('/')}`, r);
      continue;
    }
    const list = dynamic.get(r.method) ?? [];
    list.push(r);
    dynamic.set(r.method, list);
  }
  for (const list of dynamic.values())
    list.sort(
      (a, b) =>
        Number(a.segments.at(-1)?.rest ?? false) - Number(b.segments.at(-1)?.rest ?? false) ||
        b.literals - a.literals ||
        b.segments.length - a.segments.length,
    );
  return {
    mock: def.mock,
    routes,
    match(method, path) {
      const normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
      const hit = exact.get(`${method} ${normalized}`);
      if (hit) return { route: hit, params: {} };
      const list = dynamic.get(method);
      if (!list) return null;
      const parts = splitPath(path);
      for (const route of list) {
        const params = matchSegments(route, parts);
        if (params) return { route, params };
      }
      return null;
    },
    closest(method, path, n = 3) {
      const parts = splitPath(path);
      // Each route as the request would have to be to match it: parameters take the request's segments.
      const shaped = (r: CompiledRoute) =>
        `/${r.segments.map((s, i) => (s.rest ? parts.slice(i).join('/') : (s.literal ?? parts[i] ?? ''))).join('/')}`;
      return routes
        .map((r) => ({ label: r.label, score: distance(path, shaped(r)) + (r.method === method ? 0 : 3) }))
        .sort((a, b) => a.score - b.score || a.label.localeCompare(b.label))
        .slice(0, n)
        .map((r) => r.label);
    },
  };
}
