import { createMemoryStore, type KeyValueStore } from '@authbridge/core';
import { createSessions, type Sessions } from '@authbridge/session';

/** Options of {@link demoSessions}. */
export interface DemoSessionOptions {
  /**
   * The HS256 key, at least 32 bytes. Without one, a random key is drawn per process, so sessions end
   * when the server restarts; several server processes behind one load balancer need a shared key.
   */
  secret?: Uint8Array | string;
  /** The cookie's `Secure` flag (and `__Host-` prefix). Off only for plain `http://127.0.0.1`. */
  secure: boolean;
  /** The revocation list logout writes to. Default: memory (one process). */
  revocations?: KeyValueStore;
  ttlSeconds?: number;
  now?: () => number;
}

/** The demo's sessions: an hour, revocable at logout, signed with one HS256 key. */
export function demoSessions(options: DemoSessionOptions): Sessions {
  return createSessions({
    issuer: 'authbridge-example',
    audience: 'authbridge-example:session',
    keys: [
      { kid: 'demo-1', alg: 'HS256', secret: options.secret ?? crypto.getRandomValues(new Uint8Array(32)) },
    ],
    ttlSeconds: options.ttlSeconds ?? 3600,
    revocations: options.revocations ?? createMemoryStore(),
    cookie: { secure: options.secure },
    ...(options.now ? { now: options.now } : {}),
  });
}
