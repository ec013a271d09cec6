import { z } from 'zod';
import { Audited, Id, Name, Timestamp } from './common';

/** Where a rule sends: each channel's target. Secrets (webhook URLs, signing keys) are kept, never shown. */
export const NotificationTarget = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('slack'),
    /** A Slack incoming-webhook URL: a secret. */
    webhookUrl: z.url({ protocol: /^https?$/ }),
  }),
  z.object({
    channel: z.literal('email'),
    recipients: z.array(z.email()).min(1).max(100),
  }),
  z.object({
    channel: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }),
    /** HMAC-SHA256 signing key: a secret. */
    secret: z.string().min(16, 'at least 16 characters').max(256),
    headers: z.record(z.string(), z.string()).default({}),
  }),
]);
export type NotificationTarget = z.infer<typeof NotificationTarget>;

/** always; on failure; on a change of status (broken: passing → failing, recovered: failing → passing). */
export const SendWhen = z.enum(['always', 'failure', 'change']);
export type SendWhen = z.infer<typeof SendWhen>;

export const NotificationRule = z.object({
  id: Id,
  workspaceId: Id,
  /** Null: every project of the workspace. */
  projectId: Id.nullable(),
  /** Null: every suite of the project (or workspace). */
  suiteId: Id.nullable(),
  name: Name,
  target: NotificationTarget,
  when: SendWhen,
  isActive: z.boolean(),
  ...Audited,
});
export type NotificationRule = z.infer<typeof NotificationRule>;

export const DeliveryStatus = z.enum(['pending', 'retrying', 'delivered', 'failed']);
export const DeliveryAttempt = z.object({
  attempt: z.number().int().min(1),
  success: z.boolean(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  durationMs: z.number().int().min(0),
  error: z.string().nullable(),
  at: Timestamp,
});
export const NotificationDelivery = z.object({
  id: Id,
  workspaceId: Id,
  ruleId: Id.nullable(),
  executionId: Id.nullable(),
  channel: z.enum(['slack', 'email', 'webhook']),
  eventType: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  nextAttemptAt: Timestamp,
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
  history: z.array(DeliveryAttempt).optional(),
});
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;
