/** A throwaway PostgreSQL server started by {@link startPostgresServer}. */
export interface PostgresServerHandle {
  /** `postgres://authbridge:<password>@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  password: string;
  /** The data directory; pass it back to {@link startPostgresServer} to restart the server with its rows. */
  dataDir: string;
  /** Immediate shutdown (as in a crash); the data directory stays. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/** Options of {@link startPostgresServer}. */
export interface StartPostgresServerOptions {
  /** The directory of initdb and postgres. Default: {@link ensurePostgres}. */
  binDir?: string;
  /** The password of user `authbridge` (TCP connections need it). */
  password?: string;
  /** The port to listen on. Default: a free one. */
  port?: number;
  /** The data directory of a stopped server, to start it again instead of a fresh one. */
  dataDir?: string;
}

export const POSTGRES_USER: string;
export function ensurePostgres(): string;
export function startPostgresServer(options?: StartPostgresServerOptions): Promise<PostgresServerHandle>;
