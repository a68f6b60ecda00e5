/**
 * The conformance suites run against one sound provider and store, and against flawed ones that each
 * break one rule. `conformance-suites.test.ts` checks that exactly the tests guarding that rule fail.
 */
import { runProviderConformance, runStoreConformance } from '@authbridge/test-utils';
import * as v from 'valibot';
import {
  type AuthProvider,
  type Challenge,
  type ChallengeProvider,
  createChallengeStore,
  createHttpClient,
  createMemoryStore,
  type HttpOptions,
  InvalidCredentialError,
  type KeyValueStore,
} from '../../src/index.js';

const Echo = v.object({ method: v.string() });
const REJECTED = 'rejected-credential-0123456789';

interface Flaws {
  /** Builds its client without the injected fetch (so the global one is used). */
  globalFetch?: boolean;
  /** Puts the credential in its error message. */
  leaksCredential?: boolean;
  /** Drops the caller's signal. */
  ignoresSignal?: boolean;
}

function echoProvider<const Id extends string>(
  id: Id,
  http: HttpOptions & { baseUrl: string },
  flaws: Flaws = {},
): AuthProvider<Id, string, { method: string }> {
  const client = createHttpClient({
    ...http,
    fetch: flaws.globalFetch ? undefined : http.fetch,
    provider: id,
    defaultBaseUrl: http.baseUrl,
    secretValues: [],
  });
  return {
    id,
    async verify(token, options) {
      if (token === REJECTED) {
        const shown = flaws.leaksCredential ? `: ${token}` : '';
        throw new InvalidCredentialError('ERR_CREDENTIAL_REJECTED', `The token was rejected${shown}.`);
      }
      const echo = await client.request({
        method: 'GET',
        path: 'anything/verify',
        schema: Echo,
        headers: { authorization: `Bearer ${token}` },
        signal: flaws.ignoresSignal ? undefined : options?.signal,
      });
      return { provider: id, subject: 'user-1', claims: echo };
    },
  };
}

function conformance(name: string, flaws?: Flaws): void {
  runProviderConformance(name, {
    emulator: 'echo',
    create: (_context, http) => echoProvider(name, http, flaws),
    validCredential: () => 'valid-credential-0123456789',
    expectedSubject: () => 'user-1',
    failures: [{ name: 'a rejected token', credential: () => REJECTED, code: 'ERR_CREDENTIAL_REJECTED' }],
    verifyPath: '/anything/verify',
  });
}

conformance('sound');
conformance('global-fetch', { globalFetch: true });
conformance('leaky', { leaksCredential: true });
conformance('deaf', { ignoresSignal: true });

interface ChallengeFlaws {
  /** Hands the nonce to the client and reads it back from the credential. */
  trustsClientState?: boolean;
  /** Reads the challenge without spending it. */
  reusable?: boolean;
  /** Never looks the challenge id up. */
  ignoresId?: boolean;
}
interface NonceCredential {
  challengeId: string;
  signature: string;
  nonce?: string;
}

/** A signing login: the challenge holds a nonce, the client answers `signed:<nonce>`. */
function nonceProvider<const Id extends string>(
  id: Id,
  http: HttpOptions & { baseUrl: string },
  store: KeyValueStore,
  flaws: ChallengeFlaws = {},
): ChallengeProvider<Id, NonceCredential, { method: string }, { user: string }, { nonce: string }> {
  const client = createHttpClient({ ...http, provider: id, defaultBaseUrl: http.baseUrl, secretValues: [] });
  const challenges = createChallengeStore<{ nonce: string; user: string }>({ provider: id, store });
  return {
    id,
    async createChallenge(input): Promise<Challenge<Id, { nonce: string }>> {
      const nonce = crypto.randomUUID();
      const { id: challengeId } = await challenges.issue({ nonce, user: input.user });
      return { provider: id, id: challengeId, message: `Sign ${nonce}`, data: { nonce } };
    },
    async verify(credential, options) {
      const state = flaws.ignoresId
        ? { nonce: credential.nonce ?? '', user: 'user-1' }
        : flaws.reusable
          ? await challenges.peek(credential.challengeId)
          : await challenges.consume(credential.challengeId);
      const nonce = flaws.trustsClientState ? (credential.nonce ?? '') : state.nonce;
      if (credential.signature !== `signed:${nonce}`) {
        throw new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'The signature does not match.');
      }
      const echo = await client.request({
        method: 'GET',
        path: 'anything/verify',
        schema: Echo,
        signal: options?.signal,
      });
      return { provider: id, subject: state.user, claims: echo };
    },
  };
}

function challengeConformance(name: string, flaws?: ChallengeFlaws): void {
  // One store for every instance of the suite, as an app's instances share one.
  const store = createMemoryStore();
  const carriesNonce = flaws?.trustsClientState || flaws?.ignoresId;
  const answered = async (baseUrl: string) => {
    const challenge = await nonceProvider(name, { baseUrl }, store, flaws).createChallenge({
      user: 'user-1',
    });
    const signature = `signed:${challenge.data.nonce}`;
    const credential: NonceCredential = {
      challengeId: challenge.id,
      signature,
      ...(carriesNonce ? { nonce: challenge.data.nonce } : {}),
    };
    return { challenge, credential };
  };
  runProviderConformance(name, {
    emulator: 'echo',
    create: (_context, http) => nonceProvider(name, http, store, flaws),
    validCredential: async ({ baseUrl }) => (await answered(baseUrl)).credential,
    expectedSubject: () => 'user-1',
    failures: [
      {
        name: 'a wrong signature',
        credential: async ({ baseUrl }) => ({
          ...(await answered(baseUrl)).credential,
          signature: 'signed:someone-else-0123456789',
        }),
        code: 'ERR_CREDENTIAL_SIGNATURE',
      },
    ],
    verifyPath: '/anything/verify',
    challenge: { answered: ({ baseUrl }) => answered(baseUrl) },
  });
}

challengeConformance('sound-challenge');
challengeConformance('client-state', { trustsClientState: true });
challengeConformance('reusable-challenge', { reusable: true });
challengeConformance('unbound-challenge', { ignoresId: true });

runStoreConformance('sound-store', { create: () => createMemoryStore() });

/** Checks, then writes after a pause: two callers can both see the key absent. */
function racyStore(): KeyValueStore {
  const inner = createMemoryStore();
  return {
    ...inner,
    async setIfAbsent(key, value, ttlMs) {
      if ((await inner.get(key)) !== undefined) return false;
      await new Promise((resolve) => setTimeout(resolve, 1));
      await inner.set(key, value, ttlMs);
      return true;
    },
  };
}
runStoreConformance('racy-store', { create: racyStore });
