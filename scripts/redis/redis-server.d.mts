/** A throwaway redis-server started by {@link startRedisServer}. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>`, with `:<password>@` when one was set. */
  url: string;
  port: number;
  pid: number | undefined;
  /** Kills the server and removes its working directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** Path of the redis-server binary. Default: {@link ensureRedisServer}. */
  binary?: string;
  /** Extra redis-server arguments. */
  extraArgs?: string[];
  /** Sets `requirepass`, and puts the password in the returned url. */
  password?: string;
  /** The port to listen on. Default: a free one. */
  port?: number;
}

export function ensureRedisServer(): string;
export function freePort(): Promise<number>;
export function startRedisServer(options?: StartRedisServerOptions): Promise<RedisServerHandle>;
