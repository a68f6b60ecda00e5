// The little of a PostgreSQL driver the store uses. `pg`'s Pool, PoolClient and QueryResult have these
// shapes, so a `pg` Pool is passed as is; other drivers can be adapted in a few lines.

/** What the store reads of a query result; `pg`'s `QueryResult` has it. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}

/** A connection checked out of a pool; `pg`'s `PoolClient` is one. */
export interface PostgresPoolClient {
  /** Runs one statement with its parameters (`name` makes it a prepared statement). */
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<PostgresQueryResult>;
  /** Returns the connection to the pool; with an error (or `true`), closes it instead. */
  release(destroy?: Error | boolean): void;
}

/** The pool the store takes its connections from; `pg`'s `Pool` is one. */
export interface PostgresPool {
  /** Checks a connection out of the pool. */
  connect(): Promise<PostgresPoolClient>;
}

/** A driver error's message with its SQLSTATE, never its other fields (which can hold parameters). */
export function describeDriverError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.message} (SQLSTATE ${code})` : error.message;
}
