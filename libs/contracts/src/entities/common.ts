import { z } from 'zod';

/** UUID primary keys everywhere (ARCHITECTURE.md conventions). */
export const Id = z.uuid();
/** Timestamps cross process boundaries as ISO-8601 strings with an offset. */
export const Timestamp = z.iso.datetime({ offset: true });
export const Slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes, e.g. "web-app"');
export const Name = z.string().trim().min(1).max(255);
export const JsonObject = z.record(z.string(), z.unknown());
export const StringMap = z.record(z.string(), z.string());

export const Audited = {
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** Pagination used by every list endpoint and docstore query. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type Id = z.infer<typeof Id>;
export type Timestamp = z.infer<typeof Timestamp>;
export type Slug = z.infer<typeof Slug>;
export type Name = z.infer<typeof Name>;
export type JsonObject = z.infer<typeof JsonObject>;
export type StringMap = z.infer<typeof StringMap>;
