import { inspect } from 'node:util';
import {
  type AnyAuthProvider,
  type AuthBridgeErrorCode,
  type Challenge,
  type CredentialOf,
  type HttpEvent,
  type HttpOptions,
  isAuthBridgeError,
} from '@authbridge/core';
import { type Emulator, type ProviderId, startEmulator } from '@authbridge/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** What each hook of the suite receives. */
export interface ConformanceContext {
  emulator: Emulator;
  /** The base URL of the provider under test on the emulator. */
  baseUrl: string;
}

/** A documented failure: a credential and the code `verify` must throw for it. */
export interface ConformanceFailure<P extends AnyAuthProvider> {
  name: string;
  credential(context: ConformanceContext): CredentialOf<P> | Promise<CredentialOf<P>>;
  code: AuthBridgeErrorCode;
}

/** A challenge the server issued, and the credential the user's side answers it with. */
export interface AnsweredChallenge<P extends AnyAuthProvider> {
  challenge: Challenge<string, unknown>;
  credential: CredentialOf<P>;
}

/** For a provider with a challenge step: how to get a challenge answered as the user would. */
export interface ConformanceChallenge<P extends AnyAuthProvider> {
  /**
   * Starts a challenge with a provider that shares the suite's challenge store (as an app's instances
   * share one) and answers it. Called once per use.
   */
  answered(context: ConformanceContext): AnsweredChallenge<P> | Promise<AnsweredChallenge<P>>;
}

/** Options of {@link runProviderConformance}. */
export interface ProviderConformanceOptions<P extends AnyAuthProvider> {
  /** The emulator module the provider talks to. */
  emulator: ProviderId;
  /** Builds the provider against the emulator with the given HTTP options. */
  create(context: ConformanceContext, http: HttpOptions & { baseUrl: string }): P | Promise<P>;
  /** A credential `verify` accepts. Called once per use: one-time credentials are fine. */
  validCredential(context: ConformanceContext): CredentialOf<P> | Promise<CredentialOf<P>>;
  /** The subject the valid credential must resolve to. */
  expectedSubject(context: ConformanceContext): string | Promise<string>;
  /** Every documented failure of `verify`. */
  failures: ConformanceFailure<P>[];
  /**
   * The emulator path (after the provider's base path) `verify` requests, when `verify` goes over
   * HTTP. Used to hang the server for the timeout check.
   */
  verifyPath: string | RegExp;
  /**
   * For a provider with a challenge step. Adds the checks that the credential names the challenge by
   * its id and carries nothing the server issued, and that a tampered, reused or raced id is refused
   * with `ERR_CREDENTIAL_CHALLENGE`.
   */
  challenge?: ConformanceChallenge<P>;
  /**
   * The provider's configured secrets (API keys, consumer secrets) the suite gave `create`: like the
   * credential, none may appear in an error (message, `data`, `cause` chain) or a hook event.
   */
  secrets?(context: ConformanceContext): string[] | Promise<string[]>;
}

/** Field names whose values are credentials an error must not echo. */
const SECRET_FIELD = /token|secret|signature|password|key|sig$/i;

/**
 * The secret parts of a credential: the credential itself when it is a string (a DID or access
 * token), and in an object the string values of credential-like fields, at any depth.
 */
function secretPartsOf(credential: unknown): string[] {
  const walk = (value: unknown, secret: boolean): string[] => {
    if (typeof value === 'string') return secret && value.length >= 12 ? [value] : [];
    if (value === null || typeof value !== 'object') return [];
    const entries = value instanceof URLSearchParams ? [...value] : Object.entries(value);
    return entries.flatMap(([key, inner]) => walk(inner, secret || SECRET_FIELD.test(key)));
  };
  return walk(credential, typeof credential === 'string');
}

/** Every string at any depth of `value`. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsOf);
}

/** `id` with its last character changed, keeping the base64url form of a challenge id. */
function tampered(id: string): string {
  const last = id.at(-1);
  return `${id.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
}

/** The code `promise` rejects with, or `'resolved'`. */
function outcomeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (isAuthBridgeError(error) ? error.code : String(error)),
  );
}

/** Hooks that keep every event, and the events kept. */
function recordingHooks(): { hooks: NonNullable<HttpOptions['hooks']>; events: HttpEvent[] } {
  const events: HttpEvent[] = [];
  const keep = (event: HttpEvent) => {
    events.push(event);
  };
  return { hooks: { onRequest: keep, onResponse: keep, onRetry: keep, onError: keep }, events };
}

/**
 * Fails when any of `secrets` shows in what an app could print of `error` and `events`: the message,
 * `JSON.stringify`, and `console.log`'s view (which walks `data` and the whole `cause` chain).
 */
function expectNoSecrets(error: unknown, events: HttpEvent[], secrets: string[]): void {
  const shown = [
    String((error as Error | undefined)?.message),
    JSON.stringify(error) ?? '',
    inspect(error, { depth: 20 }),
    inspect((error as { data?: unknown } | undefined)?.data, { depth: 20 }),
    inspect(events, { depth: 20 }),
  ].join('\n');
  for (const secret of secrets) expect(shown, 'a secret leaked').not.toContain(secret);
}

/**
 * The suite every provider package runs: a well-formed `AuthResult`, each documented failure's code,
 * the injected fetch used, an aborted signal honoured, a hung server timed out, and on every one of
 * those error paths no credential or configured secret in the error (message, `data`, `cause` chain,
 * what `console.log` prints) or in any hook event; with `challenge`, a credential bound to a
 * server-held challenge that is accepted once.
 *
 * @example
 * ```ts
 * runProviderConformance('pi', { emulator: 'pi', create: (ctx, http) => pi({ apiKey, ...http }), ... });
 * ```
 */
export function runProviderConformance<P extends AnyAuthProvider>(
  name: string,
  options: ProviderConformanceOptions<P>,
): void {
  const secretsOf = async (context: ConformanceContext) => (await options.secrets?.(context)) ?? [];
  describe(`AuthProvider conformance: ${name}`, () => {
    let context: ConformanceContext;
    beforeAll(async () => {
      const emulator = await startEmulator({ providers: [options.emulator] });
      const baseUrl = emulator.urls[options.emulator];
      if (!baseUrl) throw new Error(`The emulator did not mount '${options.emulator}'.`);
      context = { emulator, baseUrl };
    });
    afterAll(async () => {
      await context.emulator.close();
    });
    beforeEach(() => {
      context.emulator.clearFaults();
    });

    it('verify resolves to a well-formed AuthResult', async () => {
      const provider = await options.create(context, { baseUrl: context.baseUrl });
      const result = await provider.verify(await options.validCredential(context));
      expect(result.provider).toBe(provider.id);
      expect(typeof result.subject).toBe('string');
      expect(result.subject).toBe(await options.expectedSubject(context));
      expect(result.claims).toBeTypeOf('object');
      expect(result.claims).not.toBeNull();
      if (result.expiresAt !== undefined) {
        expect(result.expiresAt).toBeInstanceOf(Date);
        expect(Number.isNaN(result.expiresAt.getTime())).toBe(false);
      }
      if (result.wallet !== undefined) {
        expect(result.wallet.chain).toMatch(/^[a-z0-9-]+$/);
        expect(result.wallet.address.length).toBeGreaterThan(0);
      }
      for (const field of ['email', 'username'] as const) {
        if (result[field] !== undefined) expect(typeof result[field]).toBe('string');
      }
    });

    for (const failure of options.failures) {
      it(`verify throws ${failure.code} for ${failure.name}, without the credential in the error`, async () => {
        const { hooks, events } = recordingHooks();
        const provider = await options.create(context, { baseUrl: context.baseUrl, retry: false, hooks });
        const credential = await failure.credential(context);
        const error = await provider.verify(credential).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isAuthBridgeError(error), String(error)).toBe(true);
        expect((error as { code: string }).code).toBe(failure.code);
        expectNoSecrets(error, events, [...secretPartsOf(credential), ...(await secretsOf(context))]);
      });
    }

    it('uses the injected fetch, and only it', async () => {
      const globalFetch = globalThis.fetch;
      let calls = 0;
      const fetchSpy: typeof fetch = (input, init) => {
        calls += 1;
        return globalFetch(input, init);
      };
      const provider = await options.create(context, { baseUrl: context.baseUrl, fetch: fetchSpy });
      const credential = await options.validCredential(context);
      // A provider that reaches for the global fetch anywhere in verify fails here.
      globalThis.fetch = () => Promise.reject(new Error('verify used the global fetch'));
      try {
        await provider.verify(credential);
      } finally {
        globalThis.fetch = globalFetch;
      }
      expect(calls).toBeGreaterThan(0);
    });

    it('rejects with ERR_ABORTED when the signal is already aborted', async () => {
      const provider = await options.create(context, { baseUrl: context.baseUrl });
      const credential = await options.validCredential(context);
      const error = await provider.verify(credential, { signal: AbortSignal.abort() }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAuthBridgeError(error, 'ERR_ABORTED'), String(error)).toBe(true);
    });

    it('rejects with ERR_ABORTED when the signal fires during a hung request', async () => {
      context.emulator.injectFault({
        provider: options.emulator,
        path: options.verifyPath,
        fault: { delayMs: 5000 },
      });
      const { hooks, events } = recordingHooks();
      const provider = await options.create(context, { baseUrl: context.baseUrl, timeout: 4000, hooks });
      const credential = await options.validCredential(context);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await provider.verify(credential, { signal: controller.signal }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAuthBridgeError(error, 'ERR_ABORTED'), String(error)).toBe(true);
      expectNoSecrets(error, events, [...secretPartsOf(credential), ...(await secretsOf(context))]);
    });

    it.each([
      ['before answering', { delayMs: 5000 }],
      ['after the headers, in the body', { stallBodyMs: 5000 }],
    ])('rejects with ERR_TIMEOUT when the server hangs %s', async (_when, fault) => {
      context.emulator.injectFault({ provider: options.emulator, path: options.verifyPath, fault });
      const { hooks, events } = recordingHooks();
      const provider = await options.create(context, {
        baseUrl: context.baseUrl,
        timeout: 200,
        retry: false,
        hooks,
      });
      const credential = await options.validCredential(context);
      const error = await provider.verify(credential).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAuthBridgeError(error, 'ERR_TIMEOUT'), String(error)).toBe(true);
      expectNoSecrets(error, events, [...secretPartsOf(credential), ...(await secretsOf(context))]);
    });

    const challenge = options.challenge;
    if (challenge) {
      describe('challenge step', () => {
        it('the credential names the challenge by its id and carries nothing else the server issued', async () => {
          const { challenge: issued, credential } = await challenge.answered(context);
          expect(credential).toBeTypeOf('object');
          expect((credential as { challengeId?: unknown }).challengeId).toBe(issued.id);
          const sent = stringsOf(credential).filter((value) => value !== issued.id);
          const issuedValues = [issued.message, ...stringsOf(issued.data)].filter(
            (value): value is string => typeof value === 'string' && value.length >= 4 && value !== issued.id,
          );
          for (const value of issuedValues) expect(sent).not.toContain(value);
        });

        it('refuses a tampered challenge id with ERR_CREDENTIAL_CHALLENGE, leaving the real one usable', async () => {
          const provider = await options.create(context, { baseUrl: context.baseUrl, retry: false });
          const { credential } = await challenge.answered(context);
          const id = (credential as { challengeId: string }).challengeId;
          const forged = { ...(credential as object), challengeId: tampered(id) } as CredentialOf<P>;
          expect(await outcomeOf(provider.verify(forged))).toBe('ERR_CREDENTIAL_CHALLENGE');
          expect(await outcomeOf(provider.verify(credential))).toBe('resolved');
        });

        it('refuses a challenge id used once with ERR_CREDENTIAL_CHALLENGE', async () => {
          const provider = await options.create(context, { baseUrl: context.baseUrl, retry: false });
          const { credential } = await challenge.answered(context);
          expect(await outcomeOf(provider.verify(credential))).toBe('resolved');
          expect(await outcomeOf(provider.verify(credential))).toBe('ERR_CREDENTIAL_CHALLENGE');
        });

        it('of concurrent verifications of one challenge exactly one succeeds', async () => {
          const provider = await options.create(context, { baseUrl: context.baseUrl, retry: false });
          const { credential } = await challenge.answered(context);
          const outcomes = await Promise.all(
            Array.from({ length: 5 }, () => outcomeOf(provider.verify(credential))),
          );
          expect(outcomes.filter((outcome) => outcome === 'resolved')).toHaveLength(1);
          expect(outcomes.filter((outcome) => outcome === 'ERR_CREDENTIAL_CHALLENGE')).toHaveLength(4);
        });
      });
    }
  });
}
