// A node:test reporter that writes one JSON object per line for each finished test, with its
// file, nesting, duration and error; Verdict's node-test parser reads it. Use it as
//   node --test --test-reporter={reporter} --test-reporter-destination={report} {files}
// where the worker expands {reporter} to this file's path.
function serializeError(error) {
  if (!error) return null;
  const cause = error.cause instanceof Error ? error.cause : error;
  const out = {
    name: cause.name ?? 'Error',
    message: String(cause.message ?? cause),
    stack: String(cause.stack ?? ''),
  };
  if ('expected' in cause || 'actual' in cause) {
    try {
      out.diff = JSON.parse(JSON.stringify({ expected: cause.expected, actual: cause.actual }));
    } catch {
      out.diff = { expected: String(cause.expected), actual: String(cause.actual) };
    }
  }
  return out;
}

export default async function* verdictReporter(source) {
  for await (const event of source) {
    if (event.type === 'test:start') {
      yield (
        JSON.stringify({
          type: 'start',
          name: event.data.name,
          nesting: event.data.nesting,
          file: event.data.file ?? null,
        }) + '\n'
      );
    } else if (event.type === 'test:pass' || event.type === 'test:fail') {
      const d = event.data;
      yield (
        JSON.stringify({
          type: event.type === 'test:pass' ? 'pass' : 'fail',
          name: d.name,
          nesting: d.nesting,
          file: d.file ?? null,
          kind: d.details?.type ?? 'test',
          durationMs: d.details?.duration_ms ?? 0,
          skip: d.skip !== undefined && d.skip !== false,
          todo: d.todo !== undefined && d.todo !== false,
          error: event.type === 'test:fail' ? serializeError(d.details?.error) : null,
        }) + '\n'
      );
    }
  }
}
