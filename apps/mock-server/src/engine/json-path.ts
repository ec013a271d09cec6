/**
 * The JSON paths conditions and templates address request bodies with: `$` then `.name`,
 * `['name']` / `["name"]` and `[index]` steps ("customer.tier" alone is read as "$.customer.tier").
 * Compiled once, when a condition or template is saved: a path that does not parse is refused
 * then, with the position of the problem, never at request time.
 */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

export type JsonPath = (string | number)[];

export function parseJsonPath(source: string): JsonPath {
  let s = source.trim();
  if (!s) throw new JsonPathError('a JSON path is empty; write e.g. $.customer.id');
  if (!s.startsWith('$')) s = s.startsWith('[') ? `$${s}` : `$.${s}`;
  const steps: JsonPath = [];
  let i = 1;
  const fail = (why: string): never => {
    throw new JsonPathError(`invalid JSON path "${source}" at character ${i}: ${why}`);
  };
  while (i < s.length) {
    if (s[i] === '.') {
      i++;
      const m = /^[A-Za-z0-9_$-]+/.exec(s.slice(i));
      if (!m) fail('expected a field name after "."');
      steps.push(m![0]);
      i += m![0].length;
    } else if (s[i] === '[') {
      i++;
      const rest = s.slice(i);
      const index = /^(\d+)\]/.exec(rest);
      const quoted = /^(['"])((?:(?!\1)[^\\]|\\.)*)\1\]/.exec(rest);
      if (index) {
        steps.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        steps.push(quoted[2].replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else fail("expected [index] or ['name']");
    } else fail(`unexpected "${s[i]}"`);
  }
  return steps;
}

/** The value at the path, or undefined when any step is missing. */
export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}
