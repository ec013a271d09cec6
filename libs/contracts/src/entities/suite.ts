import { z } from 'zod';
import { ValidationError } from '../errors';
import { Audited, Id, Name, StringMap, Timestamp } from './common';

export const SuiteType = z.enum(['unit', 'integration', 'e2e', 'performance', 'security']);
/** Report formats a worker can parse. "scenario" is a stub-manager scenario run. */
export const ReportFormat = z.enum(['junit', 'jest-json', 'node-test', 'scenario']);
export type ReportFormat = z.infer<typeof ReportFormat>;

export const Priority = z.number().int().min(0).max(9);

export const SuiteSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), path: z.string().min(1) }),
  z.object({ type: z.literal('git'), url: z.string().min(1), ref: z.string().min(1).default('main') }),
]);
export type SuiteSource = z.infer<typeof SuiteSource>;

export const SuiteConfig = z.object({
  parallel: z.boolean().default(true),
  /** Shards to split into; when absent the planner uses maxWorkers. */
  shards: z.number().int().min(1).max(256).optional(),
  maxWorkers: z.number().int().min(1).max(256).default(1),
  /** Per-shard timeout in milliseconds. */
  timeout: z
    .number()
    .int()
    .min(1000)
    .max(24 * 3600 * 1000)
    .default(10 * 60 * 1000),
  retries: z.number().int().min(0).max(10).default(0),
  bail: z.boolean().default(false),
  verbose: z.boolean().default(false),
  pool: z.string().min(1).max(100).default('default'),
  priority: Priority.default(5),
  /** Which CI webhook events run the suite (pull and merge requests match on their target branch). */
  ci: z
    .object({
      enabled: z.boolean().default(true),
      events: z
        .array(z.enum(['push', 'pull_request']))
        .min(1)
        .default(['push', 'pull_request']),
      /** Branch globs ("main", "release/*"); "**" is every branch. */
      branches: z.array(z.string().min(1).max(255)).min(1).default(['**']),
    })
    .default({ enabled: true, events: ['push', 'pull_request'], branches: ['**'] }),
});
export type SuiteConfig = z.infer<typeof SuiteConfig>;
export const SuiteCi = SuiteConfig.shape.ci;

export const SuiteRun = z.object({
  source: SuiteSource,
  /** Command template; {files} expands to the shard's files, {report} to the report path. */
  command: z.string().min(1).max(4000),
  reportFormat: ReportFormat,
  env: StringMap.default({}),
});
export type SuiteRun = z.infer<typeof SuiteRun>;

export const SuiteSelectors = z.object({
  include: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  pattern: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type SuiteSelectors = z.infer<typeof SuiteSelectors>;

export const SuiteSetup = z.object({
  beforeAll: z.string().optional(),
  beforeEach: z.string().optional(),
  afterEach: z.string().optional(),
  afterAll: z.string().optional(),
});

export const SuiteMetadata = z.object({
  version: z.string().default(''),
  framework: z.string().default(''),
  language: z.string().default(''),
  dependencies: StringMap.default({}),
});

export const SuiteStatistics = z.object({
  totalTests: z.number().int().min(0),
  avgDuration: z.number().min(0),
  passRate: z.number().min(0).max(1),
  lastRun: Timestamp.optional(),
  flakyTests: z.array(z.string()),
});

export const TestSuite = z.object({
  id: Id,
  workspaceId: Id,
  projectId: Id,
  name: Name,
  description: z.string().nullable(),
  type: SuiteType,
  run: SuiteRun,
  config: SuiteConfig,
  selectors: SuiteSelectors,
  setup: SuiteSetup,
  metadata: SuiteMetadata,
  statistics: SuiteStatistics,
  isActive: z.boolean(),
  createdBy: Id.nullable(),
  ...Audited,
});
export type TestSuite = z.infer<typeof TestSuite>;

export const CasePriority = z.enum(['critical', 'high', 'medium', 'low']);

export const TestCase = z.object({
  id: Id,
  suiteId: Id,
  name: z.string().min(1).max(1000),
  description: z.string().nullable(),
  filePath: z.string(),
  lineNumber: z.number().int().min(0).nullable(),
  assertions: z.array(
    z.object({
      type: z.string(),
      expected: z.unknown(),
      actual: z.unknown().optional(),
      operator: z.string(),
    }),
  ),
  requirements: z.object({
    fixtures: z.array(z.string()).optional(),
    mocks: z.array(z.string()).optional(),
    environment: StringMap.optional(),
    permissions: z.array(z.string()).optional(),
  }),
  config: z.object({
    timeout: z.number().int().min(0).optional(),
    retries: z.number().int().min(0).optional(),
    skip: z.boolean().optional(),
    only: z.boolean().optional(),
    slow: z.number().min(0).optional(),
  }),
  tags: z.array(z.string()),
  priority: CasePriority,
  coverage: z.object({
    lines: z.array(z.number()),
    branches: z.array(z.number()),
    functions: z.array(z.string()),
  }),
  history: z.object({
    runs: z.number().int().min(0),
    passes: z.number().int().min(0),
    failures: z.number().int().min(0),
    avgDuration: z.number().min(0),
    lastFailure: Timestamp.nullable(),
  }),
  ...Audited,
});
export type TestCase = z.infer<typeof TestCase>;

export type SuiteType = z.infer<typeof SuiteType>;
export type Priority = z.infer<typeof Priority>;
export type SuiteSetup = z.infer<typeof SuiteSetup>;
export type SuiteMetadata = z.infer<typeof SuiteMetadata>;
export type SuiteStatistics = z.infer<typeof SuiteStatistics>;
export type CasePriority = z.infer<typeof CasePriority>;

const PLACEHOLDERS = ['files', 'report', 'reporter'] as const;

/** Checks a suite's command template once, at registration, so a typo never reaches a worker. */
export function checkCommandTemplate(template: string): void {
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) {
      throw new ValidationError(
        `unknown placeholder {${m[1]}} in the command; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        'run.command',
      );
    }
  }
  if (!template.includes('{files}'))
    throw new ValidationError(
      "the command must contain {files}, where the shard's test files go",
      'run.command',
    );
}
