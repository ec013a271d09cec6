import { z } from 'zod';
import { Audited, Id, JsonObject, Name, Slug, Timestamp } from './common';

/** Platform roles (node-fleet-schema.md users.role) and workspace roles (database-setup seeding). */
export const PlatformRole = z.enum(['ADMIN', 'DEVOPS', 'USER']);
export type PlatformRole = z.infer<typeof PlatformRole>;
export const WorkspaceRole = z.enum(['OWNER', 'MEMBER']);
export type WorkspaceRole = z.infer<typeof WorkspaceRole>;
export const RoleScope = z.enum(['platform', 'workspace']);

export const Role = z.object({
  id: Id,
  name: z.union([PlatformRole, WorkspaceRole]),
  scope: RoleScope,
  description: z.string(),
  permissions: z.array(z.string()),
  ...Audited,
});
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only');

export const User = z.object({
  id: Id,
  username: Username,
  email: z.email(),
  fullName: Name,
  role: PlatformRole,
  authProvider: z.enum(['local', 'oidc']),
  externalId: z.string().nullable(),
  isActive: z.boolean(),
  lastLoginAt: Timestamp.nullable(),
  ...Audited,
});
export type User = z.infer<typeof User>;

export const Workspace = z.object({
  id: Id,
  name: Name,
  slug: Slug,
  description: z.string().nullable(),
  createdBy: Id.nullable(),
  memberCount: z.number().int().min(0),
  settings: JsonObject,
  ...Audited,
});
export type Workspace = z.infer<typeof Workspace>;

export const Membership = z.object({
  id: Id,
  workspaceId: Id,
  userId: Id,
  role: WorkspaceRole,
  ...Audited,
});
export type Membership = z.infer<typeof Membership>;

export const ApiKey = z.object({
  id: Id,
  userId: Id,
  workspaceId: Id.nullable(),
  name: Name,
  /** First characters of the key, shown in lists so a user can tell keys apart. */
  prefix: z.string().max(16),
  scopes: z.array(z.string()),
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type ApiKey = z.infer<typeof ApiKey>;

export const AuditCategory = z.enum([
  'AUTH',
  'USER',
  'WORKSPACE',
  'PROJECT',
  'SUITE',
  'EXECUTION',
  'NODE',
  'POOL',
  'CONFIG',
  'SYSTEM',
  'ENVIRONMENT',
  'NOTIFICATION',
  'SCHEDULE',
  'MOCK',
  'SCENARIO',
  'WEBHOOK',
]);
export const AuditLogEntry = z.object({
  id: Id,
  workspaceId: Id.nullable(),
  userId: Id.nullable(),
  userEmail: z.string().nullable(),
  userRole: z.string().nullable(),
  action: z.string().min(1).max(100),
  category: AuditCategory,
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  resourceName: z.string().nullable(),
  description: z.string().nullable(),
  details: JsonObject,
  ipAddress: z.string().max(45).nullable(),
  userAgent: z.string().nullable(),
  status: z.enum(['SUCCESS', 'FAILURE']),
  errorMessage: z.string().nullable(),
  createdAt: Timestamp,
});
export type AuditLogEntry = z.infer<typeof AuditLogEntry>;

export const SystemSetting = z.object({
  key: z.string().min(1).max(255),
  value: z.unknown(),
  description: z.string().nullable(),
  ...Audited,
});
export type SystemSetting = z.infer<typeof SystemSetting>;

export type RoleScope = z.infer<typeof RoleScope>;
export type Username = z.infer<typeof Username>;
export type AuditCategory = z.infer<typeof AuditCategory>;
