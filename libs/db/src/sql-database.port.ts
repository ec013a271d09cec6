export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs SQL: the database, a transaction, a dedicated session. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements (no parameters), such as a migration. */
  execScript(sql: string): Promise<void>;
  /**
   * Bulk-loads rows with COPY, where the adapter has it (PostgreSQL). All or nothing: on error
   * nothing is loaded and the surrounding transaction, if any, is still usable. Returns rows loaded.
   */
  copyRows?(table: string, columns: string[], rows: unknown[][]): Promise<number>;
}

/** The SQL database port. Both adapters speak PostgreSQL: pg against a server, PGlite in-process. */
export interface SqlDatabase extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated connection (session-level state such as advisory locks). */
  withSession<T>(fn: (session: SqlExecutor) => Promise<T>): Promise<T>;
  /** Where the database is, for messages (no credentials). */
  describe(): string;
  close(): Promise<void>;
}
