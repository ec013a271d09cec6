import { z } from 'zod';
import { Audited, Id, JsonObject, Name, Slug, StringMap } from './common';

export const Project = z.object({
  id: Id,
  workspaceId: Id,
  name: Name,
  slug: Slug,
  description: z.string().nullable(),
  repositoryUrl: z.string().nullable(),
  defaultBranch: z.string().min(1).max(255),
  ...Audited,
});
export type Project = z.infer<typeof Project>;

const Credentials = z.object({
  type: z.enum(['basic', 'bearer', 'apikey', 'oauth']),
  /** A reference to a secret (vault path, env var name), never the secret itself. */
  reference: z.string(),
});

export const EnvironmentType = z.enum(['local', 'ci', 'staging', 'production']);
export const TestEnvironment = z.object({
  id: Id,
  workspaceId: Id,
  projectId: Id.nullable(),
  name: Name,
  type: EnvironmentType,
  infrastructure: z.object({
    provider: z.enum(['docker', 'kubernetes', 'lambda', 'vm', 'local']),
    region: z.string().optional(),
    zone: z.string().optional(),
    cluster: z.string().optional(),
  }),
  services: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      version: z.string(),
      endpoint: z.string(),
      credentials: Credentials.optional(),
      health: z.string().optional(),
    }),
  ),
  databases: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['postgres', 'mysql', 'mongodb', 'redis']),
      host: z.string(),
      port: z.number().int().min(1).max(65535),
      database: z.string(),
      credentials: z.string(),
      pool: z.object({ min: z.number().int().min(0), max: z.number().int().min(1) }).optional(),
    }),
  ),
  variables: StringMap,
  /** Secret references (never values): name → reference. */
  secrets: StringMap,
  resources: z.object({
    cpu: z.string().optional(),
    memory: z.string().optional(),
    storage: z.string().optional(),
    network: z.string().optional(),
  }),
  restrictions: z.object({
    maxParallel: z.number().int().min(1).optional(),
    timeout: z.number().int().min(1).optional(),
    rateLimit: z.number().int().min(1).optional(),
  }),
  ...Audited,
});
export type TestEnvironment = z.infer<typeof TestEnvironment>;

export const TestDataSet = z.object({
  id: Id,
  workspaceId: Id,
  projectId: Id.nullable(),
  name: Name,
  type: z.enum(['fixture', 'seed', 'generated', 'snapshot']),
  schema: z.object({
    version: z.string(),
    entities: z.array(
      z.object({
        name: z.string(),
        count: z.number().int().min(0),
        template: JsonObject,
        relationships: z
          .array(
            z.object({
              entity: z.string(),
              type: z.enum(['one-to-one', 'one-to-many', 'many-to-many']),
              field: z.string(),
            }),
          )
          .optional(),
      }),
    ),
  }),
  data: z.object({
    format: z.enum(['json', 'sql', 'csv', 'parquet']),
    compression: z.enum(['gzip', 'brotli', 'zstd']).optional(),
    location: z.string(),
    size: z.number().int().min(0),
    checksum: z.string(),
  }),
  generation: z
    .object({
      seed: z.number().int().optional(),
      locale: z.string().optional(),
      rules: JsonObject.optional(),
      faker: z.boolean().optional(),
    })
    .nullable(),
  lifecycle: z.object({
    ttl: z.number().int().min(0).optional(),
    cleanup: z.enum(['immediate', 'delayed', 'manual']).optional(),
    shared: z.boolean().optional(),
    immutable: z.boolean().optional(),
  }),
  usage: z.object({
    count: z.number().int().min(0),
    lastUsed: z.string().optional(),
    suites: z.array(z.string()),
  }),
  ...Audited,
});
export type TestDataSet = z.infer<typeof TestDataSet>;

export type EnvironmentType = z.infer<typeof EnvironmentType>;
