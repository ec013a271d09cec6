/** Row values come back as Date (timestamptz), number or string depending on type; normalise once here. */
export const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
export const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function paging(limit: number, offset: number): { limit: number; offset: number } {
  return { limit: Math.max(1, Math.min(1000, Math.trunc(limit))), offset: Math.max(0, Math.trunc(offset)) };
}
