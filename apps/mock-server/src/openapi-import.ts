import { parse as parseYaml } from 'yaml';
import { MockPath, ValidationError, type MockMethod, type MockResponse } from '@verdict/contracts';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
const MAX_DEPTH = 10;

export interface ImportedApi {
  title: string | null;
  version: string | null;
  routes: { method: MockMethod; path: string; description: string | null; response: MockResponse }[];
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseSpec(spec: string | Json): Json {
  if (typeof spec !== 'string') return spec;
  let doc: unknown;
  try {
    doc = spec.trimStart().startsWith('{') ? JSON.parse(spec) : parseYaml(spec);
  } catch (error) {
    throw new ValidationError(`the document is neither JSON nor YAML: ${(error as Error).message}`, 'spec');
  }
  if (!isObject(doc)) throw new ValidationError('the document is not an object', 'spec');
  return doc;
}

/** Follows local references (#/components/…); a remote or broken one is refused with its path. */
function resolver(doc: Json) {
  return function resolve(node: unknown, seen: string[] = []): unknown {
    if (!isObject(node) || typeof node.$ref !== 'string') return node;
    const ref = node.$ref;
    if (!ref.startsWith('#/'))
      throw new ValidationError(
        `only local references (#/components/…) can be followed, not "${ref}"`,
        'spec',
      );
    if (seen.includes(ref)) return {};
    let target: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new ValidationError(`the reference "${ref}" points at nothing`, 'spec');
    return resolve(target, [...seen, ref]);
  };
}

const STRING_FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00',
  email: 'user@example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'ZXhhbXBsZQ==',
};

/** A value that fits the schema: its example or default when it has one, else one built from its type. */
export function sampleOf(schemaIn: unknown, resolve: (n: unknown) => unknown, depth = 0): unknown {
  const schema = resolve(schemaIn);
  if (!isObject(schema) || depth > MAX_DEPTH) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((s) => sampleOf(s, resolve, depth + 1));
    return parts.every(isObject) ? Object.assign({}, ...parts) : parts[0];
  }
  for (const key of ['oneOf', 'anyOf'] as const)
    if (Array.isArray(schema[key]) && (schema[key] as unknown[]).length)
      return sampleOf((schema[key] as unknown[])[0], resolve, depth + 1);
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
  if (!type) type = isObject(schema.properties) ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const [k, v] of Object.entries(isObject(schema.properties) ? schema.properties : {}))
        out[k] = sampleOf(v, resolve, depth + 1);
      return out;
    }
    case 'array':
      return schema.items ? [sampleOf(schema.items, resolve, depth + 1)] : [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : type === 'integer' ? 1 : 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      const format = typeof schema.format === 'string' ? STRING_FORMATS[schema.format] : undefined;
      if (format) return format;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return 'string'.padEnd(min, 'x');
    }
  }
}

function pickResponse(responses: Json): [string, unknown] | null {
  const codes = Object.keys(responses).sort();
  const ok =
    codes.find((c) => /^2\d\d$/.test(c)) ??
    codes.find((c) => /^2XX$/i.test(c)) ??
    (codes.includes('default') ? 'default' : codes[0]);
  return ok ? [ok, responses[ok]] : null;
}

/** An OpenAPI 3 document (JSON, YAML, or parsed) as routes: each operation's example, or a sample of its schema. */
export function importOpenApi(spec: string | Json): ImportedApi {
  const doc = parseSpec(spec);
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.'))
    throw new ValidationError(
      `only OpenAPI 3 documents can be imported (this one says openapi: ${JSON.stringify(doc.openapi ?? doc.swagger ?? null)})`,
      'spec.openapi',
    );
  if (!isObject(doc.paths) || !Object.keys(doc.paths).length)
    throw new ValidationError('the document has no paths to mock', 'spec.paths');
  const resolve = resolver(doc);
  const routes: ImportedApi['routes'] = [];
  for (const [rawPath, itemIn] of Object.entries(doc.paths)) {
    const path = MockPath.safeParse(rawPath);
    if (!path.success)
      throw new ValidationError(
        `the path "${rawPath}" cannot be mocked: ${path.error.issues[0].message}`,
        `spec.paths.${rawPath}`,
      );
    const item = resolve(itemIn);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const picked = isObject(op.responses) ? pickResponse(op.responses) : null;
      const status = picked && /^\d{3}$/.test(picked[0]) ? Number(picked[0]) : 200;
      const response = picked ? resolve(picked[1]) : null;
      const content = isObject(response) && isObject(response.content) ? response.content : null;
      const type = content
        ? (Object.keys(content).find((t) => t.includes('json')) ?? Object.keys(content)[0])
        : undefined;
      const media = type && content ? resolve(content[type]) : null;
      let body: unknown;
      if (isObject(media)) {
        if (media.example !== undefined) body = media.example;
        else if (isObject(media.examples) && Object.keys(media.examples).length) {
          const first = resolve(Object.values(media.examples)[0]);
          body = isObject(first) ? first.value : undefined;
        }
        if (body === undefined && media.schema !== undefined) body = sampleOf(media.schema, resolve);
      }
      if (body !== undefined && type && !type.includes('json') && typeof body !== 'string')
        body = JSON.stringify(body);
      routes.push({
        method: method.toUpperCase() as MockMethod,
        path: path.data,
        description:
          (typeof op.summary === 'string' ? op.summary : null) ??
          (typeof op.operationId === 'string' ? op.operationId : null),
        response: {
          status,
          headers: type ? { 'content-type': type } : {},
          ...(body === undefined ? {} : { body }),
          delayMs: 0,
          fault: null,
        },
      });
    }
  }
  if (!routes.length) throw new ValidationError('the document has no operations to mock', 'spec.paths');
  const info = isObject(doc.info) ? doc.info : {};
  return {
    title: typeof info.title === 'string' ? info.title : null,
    version: typeof info.version === 'string' ? info.version : null,
    routes,
  };
}
