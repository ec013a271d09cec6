import { randomUUID } from 'node:crypto';
import { parseJsonPath, readJsonPath, type JsonPath } from './json-path';

/** What templates and conditions read a request through. */
export interface MockRequest {
  method: string;
  /** The path under the mock's base path, e.g. /users/42. */
  path: string;
  url: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  bodyText: string;
  /** The body parsed as JSON (once, when first asked), or undefined when it is not JSON. */
  json(): unknown;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

type Getter = (req: MockRequest) => unknown;
const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** One placeholder's reader. Path parameters are checked against the route's template. */
function compileExpression(expr: string, pathParams: string[] | null): Getter {
  if (expr === 'now') return () => new Date().toISOString();
  if (expr === 'uuid') return () => randomUUID();
  if (expr === 'request.method') return (r) => r.method;
  if (expr === 'request.url') return (r) => r.url;
  if (expr === 'request.path') return (r) => r.path;
  if (expr === 'request.body') return (r) => r.bodyText;
  const m = /^request\.(path|query|headers|body)(?:\.|(?=\[))(.+)$/.exec(expr);
  if (!m)
    throw new TemplateError(
      `unknown template {{${expr}}}; use request.path.<param>, request.query.<name>, request.headers.<name>, request.body.<json path>, request.method, request.url, now or uuid`,
    );
  const [, source, name] = m;
  if (source === 'path') {
    if (pathParams && !pathParams.includes(name))
      throw new TemplateError(
        `{{${expr}}} names no parameter of the route's path (${pathParams.length ? pathParams.map((p) => `:${p}`).join(', ') : 'it has none'})`,
      );
    return (r) => r.params[name];
  }
  if (source === 'query') return (r) => r.query.get(name) ?? undefined;
  if (source === 'headers') {
    const lower = name.toLowerCase();
    return (r) => {
      const v = r.headers[lower];
      return Array.isArray(v) ? v.join(', ') : v;
    };
  }
  let path: JsonPath;
  try {
    path = parseJsonPath(name);
  } catch (error) {
    throw new TemplateError(`{{${expr}}}: ${(error as Error).message}`);
  }
  return (r) => readJsonPath(r.json(), path);
}

const text = (v: unknown) =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/** A string with placeholders; null when it has none (answered as it is). */
export function compileString(s: string, pathParams: string[] | null): ((r: MockRequest) => unknown) | null {
  const parts: (string | Getter)[] = [];
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(s.slice(last, m.index));
    parts.push(compileExpression(m[1], pathParams));
    last = m.index + m[0].length;
  }
  if (!parts.length) return null;
  if (last < s.length) parts.push(s.slice(last));
  // A string that is one placeholder keeps the value's type: {"id": "{{request.body.id}}"} stays a number.
  if (parts.length === 1 && typeof parts[0] === 'function') return parts[0];
  return (r) => parts.map((p) => (typeof p === 'string' ? p : text(p(r)))).join('');
}

/**
 * A JSON body with placeholders in its strings: null when it has none, else a function building
 * the body for a request.
 */
export function compileValue(
  value: unknown,
  pathParams: string[] | null,
): ((r: MockRequest) => unknown) | null {
  if (typeof value === 'string') return compileString(value, pathParams);
  if (Array.isArray(value)) {
    const items = value.map((v) => compileValue(v, pathParams));
    if (items.every((i) => i === null)) return null;
    return (r) => value.map((v, i) => (items[i] ? items[i]!(r) : v));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => [k, v, compileValue(v, pathParams)] as const,
    );
    if (entries.every(([, , c]) => c === null)) return null;
    return (r) => {
      const out: Record<string, unknown> = {};
      for (const [k, v, c] of entries) out[k] = c ? c(r) : v;
      return out;
    };
  }
  return null;
}

export const templateText = text;
