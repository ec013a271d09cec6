/** Row values come back as Date (timestamptz), number or string depending on type; normalise once here. */
export const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
export const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function paging(limit: number, offset: number): { limit: number; offset: number } {
  return { limit: Math.max(1, Math.min(1000, Math.trunc(limit))), offset: Math.max(0, Math.trunc(offset)) };
}

/**
 * Conditions of a list query, added only when their value is given. `?` in a condition stands
 * for that value's placeholder, numbered after the parameters already collected.
 */
export class Where {
  readonly params: unknown[];
  private readonly parts: string[] = [];

  constructor(params: unknown[] = []) {
    this.params = [...params];
  }

  add(condition: string, value: unknown): this {
    if (value === undefined || value === null) return this;
    this.params.push(value);
    this.parts.push(condition.replaceAll('?', `$${this.params.length}`));
    return this;
  }

  /** `column = value` for each column whose value is given. */
  equals(columns: Record<string, unknown>): this {
    for (const [column, value] of Object.entries(columns)) this.add(`${column} = ?`, value);
    return this;
  }

  raw(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** One page of `SELECT select FROM from where ORDER BY orderBy`, with the total of every page. */
export async function selectPage<T>(
  db: { query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> },
  q: { select: string; from: string; where: Where; orderBy: string },
  page: { limit: number; offset: number },
  map: (row: Record<string, unknown>) => T,
): Promise<{ items: T[]; total: number; limit: number; offset: number }> {
  const p = paging(page.limit, page.offset);
  const n = q.where.params.length;
  const [count, rows] = await Promise.all([
    db.query(`SELECT count(*)::int AS total FROM ${q.from} ${q.where}`, q.where.params),
    db.query(
      `SELECT ${q.select} FROM ${q.from} ${q.where} ORDER BY ${q.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...q.where.params, p.limit, p.offset],
    ),
  ]);
  return { items: rows.rows.map(map), total: num(count.rows[0].total), ...p };
}
