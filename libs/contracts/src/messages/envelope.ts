import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Id, Timestamp } from '../entities/common';

/** Every message on the bus travels in this envelope (ARCHITECTURE.md, Contracts). */
export const Envelope = z.object({
  id: Id,
  type: z.string().min(1),
  version: z.number().int().min(1),
  occurredAt: Timestamp,
  correlationId: z.string().min(1),
  workspaceId: Id.nullable(),
  payload: z.unknown(),
});
export type Envelope<P = unknown> = Omit<z.infer<typeof Envelope>, 'payload'> & { payload: P };

export function newEnvelope<P>(
  type: string,
  version: number,
  payload: P,
  meta: { workspaceId?: string | null; correlationId?: string; id?: string; occurredAt?: Date } = {},
): Envelope<P> {
  const id = meta.id ?? randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId ?? id,
    workspaceId: meta.workspaceId ?? null,
    payload,
  };
}
