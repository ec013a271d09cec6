import { z } from 'zod';
import { Audited, Id, JsonObject, Name, StringMap, Timestamp } from './common';

/**
 * The stub manager (stub-manager-schema.md, mockloop-schema.md): mocks with routes and
 * conditions, named response sets (mockloop's scenarios), ordered action scenarios with their
 * results, and the request journal (mock_request_logs).
 */

export const MockProtocol = z.enum(['REST', 'GRPC', 'KAFKA']);
export type MockProtocol = z.infer<typeof MockProtocol>;
export const MockStatus = z.enum(['ACTIVE', 'INACTIVE']);
export type MockStatus = z.infer<typeof MockStatus>;
export const MockMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
export type MockMethod = z.infer<typeof MockMethod>;

/** A mock's name is its base path: /mocks/<name>/… */
export const MockName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'lowercase letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

/** A route's path template: "/users/:id" (OpenAPI's "/users/{id}" is accepted and stored as ":id"). */
export const MockPath = z
  .string()
  .min(1)
  .max(2000)
  .transform((p) => p.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1'))
  .pipe(
    z
      .string()
      .regex(
        /^\/(?:[A-Za-z0-9._~!$&'()+,;=@%-]+|:[A-Za-z0-9_]+|\*)?(?:\/(?:[A-Za-z0-9._~!$&'()+,;=@%-]+|:[A-Za-z0-9_]+|\*))*\/?$/,
        'a path starting with "/", made of literal segments, ":name" parameters and a last "*"',
      ),
  );

/** Faults for resilience tests: the connection reset, closed with no answer, or a body that does not parse. */
export const MockFault = z.enum(['CONNECTION_RESET', 'EMPTY_RESPONSE', 'MALFORMED_BODY']);
export type MockFault = z.infer<typeof MockFault>;

/**
 * What a mock answers. Strings in the body and header values may hold templates read from the
 * request: {{request.path.id}}, {{request.query.q}}, {{request.headers.x-id}},
 * {{request.body.customer.id}} (a JSON path), {{request.method}}, {{request.url}}, {{now}}, {{uuid}}.
 */
export const MockResponse = z.strictObject({
  status: z.number().int().min(100).max(599).default(200),
  headers: StringMap.default({}),
  /** JSON (sent as application/json unless a content-type header says otherwise) or text. */
  body: z.unknown().optional(),
  /** Added to the mock's own delay. */
  delayMs: z.number().int().min(0).max(60_000).default(0),
  fault: MockFault.nullable().default(null),
});
export type MockResponse = z.infer<typeof MockResponse>;

export const Mock = z.object({
  id: Id,
  workspaceId: Id,
  name: MockName,
  description: z.string().nullable(),
  protocol: MockProtocol,
  status: MockStatus,
  /** Delay of every answer, in milliseconds. */
  responseDelayMs: z.number().int().min(0),
  /** A port of its own, serving the mock at "/", besides its base path. */
  port: z.number().int().nullable(),
  metadata: JsonObject,
  /** The active response set, by name; null: the routes' own answers. */
  activeResponseSet: z.string().nullable(),
  /** Where its traffic goes: <mock server>/mocks/<name>. */
  basePath: z.string(),
  ...Audited,
});
export type Mock = z.infer<typeof Mock>;

export const MockRoute = z.object({
  id: Id,
  mockId: Id,
  method: MockMethod,
  path: z.string(),
  description: z.string().nullable(),
  response: MockResponse,
  ...Audited,
});
export type MockRoute = z.infer<typeof MockRoute>;

export const ParameterSource = z.enum(['QUERY', 'HEADER', 'BODY', 'PATH']);
export type ParameterSource = z.infer<typeof ParameterSource>;
export const ConditionOperator = z.enum([
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
  'GREATER_THAN',
  'LESS_THAN',
  'REGEX',
]);
export type ConditionOperator = z.infer<typeof ConditionOperator>;

export const MockCondition = z.object({
  id: Id,
  routeId: Id,
  /** Query or header name, path parameter, or for BODY a JSON path such as $.customer.tier. */
  parameterName: z.string(),
  parameterSource: ParameterSource,
  operator: ConditionOperator,
  expectedValue: z.string(),
  response: MockResponse,
  /** Higher is checked first. */
  priority: z.number().int(),
  ...Audited,
});
export type MockCondition = z.infer<typeof MockCondition>;

/** One answer of a response set: which route it replaces, and with what. */
export const SetResponse = z.strictObject({
  method: MockMethod,
  path: MockPath,
  response: MockResponse,
});
export type SetResponse = z.infer<typeof SetResponse>;

/** mockloop's scenario: a named set of answers for a mock, one set active at a time. */
export const ResponseSet = z.object({
  id: Id,
  mockId: Id,
  name: Name,
  description: z.string().nullable(),
  isActive: z.boolean(),
  responses: z.array(SetResponse),
  ...Audited,
});
export type ResponseSet = z.infer<typeof ResponseSet>;

// ---- ordered action scenarios (stub-manager-schema.md scenarios, scenario_actions, test_results)

export const ScenarioStatus = z.enum(['DRAFT', 'READY', 'RUNNING', 'COMPLETED', 'FAILED']);
export const ScenarioRunStatus = z.enum(['SUCCESS', 'FAILED', 'PARTIAL']);
export type ScenarioRunStatus = z.infer<typeof ScenarioRunStatus>;

/** What an HTTP_REQUEST action expects of the answer. */
export const HttpExpectation = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  /** Header values expected, names case-insensitive. */
  headers: StringMap.optional(),
  /** The JSON body contains these fields with these values (objects matched in part, arrays whole). */
  body: z.unknown().optional(),
  /** The body's text contains this. */
  bodyContains: z.string().optional(),
});
export type HttpExpectation = z.infer<typeof HttpExpectation>;

export const ScenarioAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('START_MOCK'), mock: MockName }),
  z.strictObject({ type: z.literal('STOP_MOCK'), mock: MockName }),
  z.strictObject({
    type: z.literal('SET_DELAY'),
    mock: MockName,
    delayMs: z.number().int().min(0).max(60_000),
  }),
  z.strictObject({ type: z.literal('WAIT'), ms: z.number().int().min(0).max(300_000) }),
  z
    .strictObject({
      type: z.literal('HTTP_REQUEST'),
      /** Shown in results; defaults to "METHOD path". */
      name: z.string().max(255).optional(),
      method: MockMethod.default('GET'),
      /** Either a mock of this server and a path on it… */
      mock: MockName.optional(),
      path: z.string().startsWith('/').optional(),
      /** …or any absolute URL. */
      url: z.url({ protocol: /^https?$/ }).optional(),
      headers: StringMap.default({}),
      body: z.unknown().optional(),
      timeoutMs: z.number().int().min(1).max(120_000).default(10_000),
      expect: HttpExpectation.default({}),
    })
    .refine((a) => (a.url ? !a.mock && !a.path : Boolean(a.mock && a.path)), {
      message: 'give either url, or mock and path',
      path: ['url'],
    }),
]);
export type ScenarioAction = z.infer<typeof ScenarioAction>;

export const Scenario = z.object({
  id: Id,
  workspaceId: Id,
  name: Name,
  description: z.string().nullable(),
  status: ScenarioStatus,
  actions: z.array(ScenarioAction),
  ...Audited,
});
export type Scenario = z.infer<typeof Scenario>;

export const ActionOutcome = z.object({
  order: z.number().int().min(1),
  type: z.string(),
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped']),
  durationMs: z.number().min(0),
  error: z.string().nullable(),
  /** For HTTP_REQUEST: what came back. */
  response: z
    .object({ status: z.number().int(), headers: StringMap, body: z.string() })
    .nullable()
    .default(null),
});
export type ActionOutcome = z.infer<typeof ActionOutcome>;

export const ScenarioResult = z.object({
  id: Id,
  scenarioId: Id,
  scenarioName: z.string(),
  status: ScenarioRunStatus,
  results: z.array(ActionOutcome),
  durationMs: z.number().int().min(0),
  errorMessage: z.string().nullable(),
  executedAt: Timestamp,
  /** The Verdict execution the run belonged to, when run as a suite. */
  executionId: z.string().nullable(),
});
export type ScenarioResult = z.infer<typeof ScenarioResult>;

/** The report a `verdict scenario run --report` writes: the worker's "scenario" format. */
export const ScenarioReport = z.object({
  format: z.literal('verdict-scenario'),
  runs: z.array(ScenarioResult.extend({ file: z.string().nullable() })),
});
export type ScenarioReport = z.infer<typeof ScenarioReport>;

// ---- the journal (docstore: mock_request_logs)

export const MockRequestLog = z.object({
  id: z.string(),
  mockId: Id,
  mockName: z.string(),
  timestamp: Timestamp,
  method: z.string(),
  path: z.string(),
  query: StringMap,
  headers: StringMap,
  requestBody: z.string().nullable(),
  responseStatus: z.number().int(),
  responseHeaders: StringMap,
  responseBody: z.string().nullable(),
  responseTimeMs: z.number(),
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string(),
  /** The active response set when the request came. */
  scenario: z.string().nullable(),
  /** The X-Verdict-Execution header: requests of one execution are journaled and verified apart. */
  executionId: z.string().nullable(),
  /** "GET /users/:id": the route that answered; null when none did. */
  route: z.string().nullable(),
  /** What answered: a condition, the route's default, the active response set, or nothing (404). */
  matched: z.enum(['condition', 'default', 'response-set', 'none']),
});
export type MockRequestLog = z.infer<typeof MockRequestLog>;

export const MOCK_EVENTS = ['request.matched', 'scenario.switched', 'scenario.run_finished'] as const;
export const MockEvent = z.enum(MOCK_EVENTS);
export type MockEvent = z.infer<typeof MockEvent>;
