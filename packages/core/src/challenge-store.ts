/**
 * Server-held challenge state: what a provider's `createChallenge` issued (a nonce, a SIWE context,
 * requirements, a Toopher request id and user) stays on the server under a random id, and `verify`
 * takes it back by that id, once. The client never carries the state, so it cannot rewrite it.
 */
import { bytesToBase64Url } from './encoding.js';
import { ConfigurationError, InvalidCredentialError, isAuthBridgeError, StoreError } from './errors.js';
import { createMemoryStore } from './memory-store.js';
import type { KeyValueStore } from './store.js';

/** Length of a challenge id: 16 random bytes in unpadded base64url. */
export const CHALLENGE_ID_LENGTH = 22;
const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;

/** Default lifetime of a challenge: five minutes. */
export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000;

/** Options of {@link createChallengeStore}. */
export interface ChallengeStoreOptions {
  /** The provider id carried by errors and used in the store key. */
  provider: string;
  /**
   * Where challenges live. Default: a memory store of this process; apps on several instances pass a
   * shared one (`@authbridge/redis`).
   */
  store?: KeyValueStore;
  /** How long an issued challenge is accepted, in ms. Default {@link DEFAULT_CHALLENGE_TTL_MS}. */
  ttlMs?: number;
  /** Store key prefix. Default `'authbridge:challenge'`. */
  prefix?: string;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** A challenge as issued: its id, and when it stops being accepted. */
export interface IssuedChallenge {
  id: string;
  expiresAt: Date;
}

/** Keeps challenge state of type `State` (JSON-serialisable) on the server. */
export interface ChallengeStore<State> {
  /** The lifetime of a challenge, in ms. */
  readonly ttlMs: number;
  /** Stores `state` under a new random id. */
  issue(state: State): Promise<IssuedChallenge>;
  /** The state of a live challenge without spending it, for steps that may be repeated (a poll). */
  peek(id: unknown): Promise<State>;
  /** Takes the state of a live challenge and deletes it: of concurrent calls, exactly one succeeds. */
  consume(id: unknown): Promise<State>;
  /** Deletes a challenge, if present. */
  discard(id: unknown): Promise<void>;
}

/** Whether `id` has the form of a challenge id (22 base64url characters). */
export function isChallengeId(id: unknown): id is string {
  return typeof id === 'string' && id.length === CHALLENGE_ID_LENGTH && CHALLENGE_ID.test(id);
}

/**
 * The client's answer to a challenge, checked for its form before the store is touched: an object
 * with `challengeId` and no field but `answerFields`. A field the server issued (a nonce, a context, a
 * request id) has no place in it, so one sent anyway is refused, never read.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` for anything that is not such an object; the message names the
 * unexpected fields and `shape`.
 *
 * @example
 * ```ts
 * const { challengeId, signature } = challengeAnswerOf(credential, {
 *   provider: 'wallet',
 *   answerFields: ['signature'],
 *   shape: '{ challengeId, signature }',
 * });
 * ```
 */
export function challengeAnswerOf<Field extends string>(
  credential: unknown,
  options: { provider: string; answerFields: readonly Field[]; shape: string },
): { challengeId: unknown } & Partial<Record<Field, unknown>> {
  const { provider, shape } = options;
  const refuse = (message: string): never => {
    throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider });
  };
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential))
    refuse(`The credential must be an object: ${shape}.`);
  const allowed = new Set<string>(['challengeId', ...options.answerFields]);
  const extra = Object.keys(credential as object).filter((key) => !allowed.has(key));
  if (extra.length > 0) {
    refuse(
      `The credential is ${shape}; ${extra.slice(0, 5).join(', ')} come from the server's challenge, not the client.`,
    );
  }
  return credential as { challengeId: unknown } & Partial<Record<Field, unknown>>;
}

/**
 * A store of server-held challenge state. Providers with a challenge step use it so that `verify`
 * compares the client's answer with what the server issued, never with what the client sends back.
 *
 * Errors: `ERR_CONFIG` for a bad option; from `peek`/`consume`, `ERR_CREDENTIAL_MALFORMED` for an id of
 * the wrong form, `ERR_CREDENTIAL_CHALLENGE` for an id that names no live challenge (never issued,
 * expired or already used); `ERR_STORE` when the store fails (fail closed).
 *
 * @example
 * ```ts
 * const challenges = createChallengeStore<{ nonce: string }>({ provider: 'wallet', store });
 * const { id } = await challenges.issue({ nonce });
 * // later, in verify:
 * const { nonce } = await challenges.consume(credential.challengeId);
 * ```
 */
export function createChallengeStore<State>(options: ChallengeStoreOptions): ChallengeStore<State> {
  const { provider } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_CHALLENGE_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new ConfigurationError(`The challenge TTL must be a positive integer of ms, got ${ttlMs}.`, {
      provider,
    });
  }
  const store = options.store ?? createMemoryStore();
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'authbridge:challenge';
  const keyOf = (id: string) => `${prefix}:${provider}:${id}`;

  const checkedId = (id: unknown): string => {
    if (!isChallengeId(id)) {
      throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', 'The challenge id is malformed.', {
        provider,
        details: `A challenge id is ${CHALLENGE_ID_LENGTH} base64url characters.`,
      });
    }
    return id;
  };
  const storeCall = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (isAuthBridgeError(error)) throw error;
      throw new StoreError(`${provider}: the challenge store failed to ${what}.`, { provider, cause: error });
    }
  };
  const decode = (raw: string | undefined): State => {
    if (raw === undefined) {
      throw new InvalidCredentialError(
        'ERR_CREDENTIAL_CHALLENGE',
        'This challenge is unknown, expired or already used.',
        { provider, details: 'Start the login again to get a new challenge.' },
      );
    }
    try {
      return JSON.parse(raw) as State;
    } catch {
      throw new StoreError(`${provider}: the challenge store returned a record that is not JSON.`, {
        provider,
      });
    }
  };

  return {
    ttlMs,
    async issue(state) {
      const id = bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      const expiresAt = new Date(now() + ttlMs);
      const stored = await storeCall('save a challenge', () =>
        store.setIfAbsent(keyOf(id), JSON.stringify(state), ttlMs),
      );
      // 128 random bits do not collide; a store that says otherwise is broken.
      if (!stored)
        throw new StoreError(`${provider}: the challenge store refused a new challenge.`, { provider });
      return { id, expiresAt };
    },
    async peek(id) {
      const key = keyOf(checkedId(id));
      return decode(await storeCall('read a challenge', () => store.get(key)));
    },
    async consume(id) {
      const key = keyOf(checkedId(id));
      return decode(await storeCall('take a challenge', () => store.consume(key)));
    },
    async discard(id) {
      if (!isChallengeId(id)) return;
      await storeCall('delete a challenge', () => store.delete(keyOf(id)));
    },
  };
}
