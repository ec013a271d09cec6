import { z } from 'zod';
import { Id, JsonObject, Timestamp } from './common';

/** MongoDB test_logs (test-platform-data-models.md). */
export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;
export const TestLog = z.object({
  executionId: Id,
  testId: z.string().nullable(),
  timestamp: Timestamp,
  level: LogLevel,
  message: z.string(),
  context: z.object({
    file: z.string().optional(),
    line: z.number().int().optional(),
    function: z.string().optional(),
    stack: z.string().optional(),
    stream: z.enum(['stdout', 'stderr']).optional(),
    shardIndex: z.number().int().min(0).optional(),
  }),
  metadata: JsonObject,
  correlationId: z.string(),
});
export type TestLog = z.infer<typeof TestLog>;

/** MongoDB test_reports (test-platform-data-models.md). */
export const ReportType = z.enum(['html', 'json', 'junit', 'allure']);
export const TestReport = z.object({
  executionId: Id,
  generatedAt: Timestamp,
  type: ReportType,
  summary: z.object({
    total: z.number().int().min(0),
    passed: z.number().int().min(0),
    failed: z.number().int().min(0),
    skipped: z.number().int().min(0),
    duration: z.number().min(0),
    passRate: z.number().min(0).max(1),
  }),
  details: z.object({
    suites: z.array(
      z.object({
        name: z.string(),
        tests: z.number().int(),
        passed: z.number().int(),
        failed: z.number().int(),
        duration: z.number(),
      }),
    ),
    failures: z.array(
      z.object({ test: z.string(), error: z.string(), stack: z.string(), diff: z.unknown().optional() }),
    ),
    coverage: z
      .object({ lines: z.number(), branches: z.number(), functions: z.number(), statements: z.number() })
      .nullable(),
  }),
  artifacts: z.object({
    html: z.string().optional(),
    json: z.string().optional(),
    screenshots: z.array(z.string()),
    videos: z.array(z.string()),
  }),
  distribution: z.object({
    recipients: z.array(z.string()),
    channels: z.array(z.string()),
    sentAt: Timestamp.nullable(),
  }),
  /** Room for the reporter's additions (flaky, new failures, slowest, trend). */
  extra: JsonObject.default({}),
});
export type TestReport = z.infer<typeof TestReport>;

/** One time-series point (InfluxDB line-protocol shape). */
export const MetricPoint = z.object({
  measurement: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'snake_case measurement name'),
  tags: z.record(z.string(), z.string()),
  fields: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  timestamp: z.date(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;
export const MEASUREMENTS = [
  'test_execution',
  'performance_test',
  'execution_summary',
  'fleet',
  'mock_requests',
  'notification_delivery',
] as const;

export type ReportType = z.infer<typeof ReportType>;

/** One test as a report keeps it: enough to render every view without the results table. */
export const ReportTest = z.object({
  key: z.string(),
  name: z.string(),
  file: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'pending', 'broken']),
  durationMs: z.number().min(0),
  flaky: z.boolean(),
  attempts: z.number().int().min(1),
  error: z
    .object({
      name: z.string(),
      message: z.string(),
      stack: z.string(),
      diff: z.object({ expected: z.unknown(), actual: z.unknown() }).optional(),
    })
    .nullable(),
});
export type ReportTest = z.infer<typeof ReportTest>;

/** What the reporter adds to a test report (kept in TestReport.extra). */
export const ReportExtra = z.object({
  execution: z.object({
    id: Id,
    suiteId: Id,
    suite: z.string(),
    project: z.string(),
    status: z.string(),
    branch: z.string().nullable(),
    commit: z.string().nullable(),
    trigger: z.string(),
    queuedAt: Timestamp,
    completedAt: Timestamp.nullable(),
  }),
  tests: z.array(ReportTest),
  files: z.array(
    z.object({
      file: z.string(),
      tests: z.number().int(),
      passed: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      durationMs: z.number(),
    }),
  ),
  /** Keys of flaky tests and why: passed on a retry here, or changed status at one commit. */
  flaky: z.array(z.object({ key: z.string(), reason: z.enum(['retry', 'history']) })),
  previousExecutionId: Id.nullable(),
  newFailures: z.array(z.string()),
  fixed: z.array(z.string()),
  stillFailing: z.array(z.string()),
  slowest: z.array(z.object({ key: z.string(), durationMs: z.number() })),
  trend: z.array(
    z.object({
      executionId: Id,
      at: Timestamp,
      status: z.string(),
      durationMs: z.number().nullable(),
      passRate: z.number(),
    }),
  ),
});
export type ReportExtra = z.infer<typeof ReportExtra>;
