import { z } from 'zod';
import { Id, NotFoundError, PageQuery } from '@verdict/contracts';

export { PageQuery };

/** Path parameter schema of one id, named as in the path. */
export const idParam = <K extends string>(name: K) => z.object({ [name]: Id } as { [P in K]: typeof Id });

/** The resource, or a 404 naming it. */
export async function found<T>(resource: string, id: string, value: Promise<T | null>): Promise<T> {
  const v = await value;
  if (v === null || v === undefined) throw new NotFoundError(resource, id);
  return v;
}

/** A PATCH body must change something. */
export const nonEmpty = <T extends z.ZodObject>(schema: T) =>
  schema.refine((v) => Object.keys(v as object).length > 0, { message: 'give at least one field to change' });

/** "true"/"false" in a query string. */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Every field optional and none defaulted: a change names only what it changes. (zod's
 * .partial() keeps defaults, which would reset unnamed fields when merged over what is stored.)
 */
export function patchOf<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    shape[key] = inner.optional();
  }
  return z.strictObject(shape) as unknown as z.ZodObject<{ [K in keyof T]: z.ZodOptional<T[K]> }>;
}

/** A DELETE that found nothing to delete is a 404 naming the resource. */
export async function removed(resource: string, id: string, deleted: Promise<boolean>): Promise<void> {
  if (!(await deleted)) throw new NotFoundError(resource, id);
}

/** A query value of several choices, comma-separated ("queued,running"), each checked. */
export const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(item));
