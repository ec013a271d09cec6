import { z } from 'zod';
import { Id, JsonObject, Timestamp } from './common';

export const ResultStatus = z.enum(['passed', 'failed', 'skipped', 'pending', 'broken']);
export type ResultStatus = z.infer<typeof ResultStatus>;

export const DurationBreakdown = z.object({
  setup: z.number().min(0),
  execution: z.number().min(0),
  teardown: z.number().min(0),
  total: z.number().min(0),
});

export const TestError = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string(),
  diff: z.object({ expected: z.unknown(), actual: z.unknown() }).optional(),
  screenshot: z.string().optional(),
  video: z.string().optional(),
});
export type TestError = z.infer<typeof TestError>;

export const Attempt = z.object({
  attempt: z.number().int().min(1),
  status: ResultStatus,
  duration: z.number().min(0),
  error: TestError.optional(),
});
export type Attempt = z.infer<typeof Attempt>;

const CoverageFigure = z.object({
  total: z.number().int().min(0),
  covered: z.number().int().min(0),
  percentage: z.number().min(0).max(100),
});
export const Coverage = z.object({
  lines: CoverageFigure,
  branches: CoverageFigure,
  functions: CoverageFigure,
  statements: CoverageFigure,
});

export const ResultArtifacts = z.object({
  logs: z.array(z.string()).optional(),
  screenshots: z.array(z.string()).optional(),
  videos: z.array(z.string()).optional(),
  reports: z.array(z.string()).optional(),
  custom: z.record(z.string(), z.string()).optional(),
});

export const ResultMetadata = z.object({
  browser: z.string().optional(),
  os: z.string().optional(),
  node: z.string().optional(),
  custom: JsonObject.optional(),
});

export const TestResult = z.object({
  id: Id,
  executionId: Id,
  testCaseId: Id,
  shardIndex: z.number().int().min(0),
  status: ResultStatus,
  duration: DurationBreakdown,
  error: TestError.nullable(),
  retries: z.object({ count: z.number().int().min(0), attempts: z.array(Attempt) }),
  /** Passed only on a retry within this run. */
  flaky: z.boolean(),
  coverage: Coverage.nullable(),
  artifacts: ResultArtifacts,
  metadata: ResultMetadata,
  createdAt: Timestamp,
});
export type TestResult = z.infer<typeof TestResult>;

export const ArtifactType = z.enum(['log', 'screenshot', 'video', 'report', 'trace', 'other']);
export const TestArtifact = z.object({
  id: Id,
  resultId: Id,
  type: ArtifactType,
  storagePath: z.string().min(1),
  metadata: JsonObject,
  createdAt: Timestamp,
});
export type TestArtifact = z.infer<typeof TestArtifact>;

export type DurationBreakdown = z.infer<typeof DurationBreakdown>;
export type Coverage = z.infer<typeof Coverage>;
export type ResultArtifacts = z.infer<typeof ResultArtifacts>;
export type ResultMetadata = z.infer<typeof ResultMetadata>;
export type ArtifactType = z.infer<typeof ArtifactType>;
