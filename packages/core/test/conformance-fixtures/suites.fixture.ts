/**
 * The conformance suites run against one sound provider and store, and against flawed ones that each
 * break one rule. `conformance-suites.test.ts` checks that exactly the tests guarding that rule fail.
 */
import { runProviderConformance, runStoreConformance } from '@authbridge/test-utils';
import * as v from 'valibot';
import {
  type AuthProvider,
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
