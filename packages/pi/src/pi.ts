/**
 * The Pi Network provider: Pioneer login through `/v2/me` and the platform server API.
 */
import {
  type AuthResult,
  type CallOptions,
  ConfigurationError,
  checkSecret,
  createHttpClient,
  credentialParser,
  type HttpOptions,
} from '@authbridge/core';
import * as v from 'valibot';
import { createA2U, createWallet, type PiA2U, type PiWalletOptions } from './a2u.js';
import { createAds, type PiAds } from './ads.js';
import { parsePiError } from './errors.js';
import { createNotifications, type PiNotifications } from './notifications.js';
import { createPayments, type PiPayments } from './payments.js';
import { createServerRequest } from './server-api.js';
import { createVerify, MAX_TOKEN_LENGTH, type PiClaims, type PiVerifyCacheOptions } from './verify.js';
import { VERSION } from './version.js';

/** The Pi Platform API host; both Mainnet and Testnet apps use it. */
export const PI_API_URL = 'https://api.minepi.com';

/** Options of {@link pi}. */
export interface PiOptions<Id extends string = 'pi'> extends HttpOptions {
  /**
   * The id the provider is registered under in `createAuth` and names in `AuthResult.provider`. Default
   * `'pi'`; another one lets an app register several Pi apps (`'pi-testnet'`).
   */
  id?: Id;
  /** The app's Server API Key from the Pi Developer Portal. Server-side only. */
  apiKey: string;
  /**
   * Cache verified access tokens for a short while (keyed by their SHA-256, never past Pi's
   * `valid_until`), for apps that verify on every request. Off by default: a revoked token stays
   * accepted for up to `ttlMs`.
   */
  cache?: PiVerifyCacheOptions | boolean;
  /** The clock in ms, for the cache and the expiry check. Default `Date.now`. */
  now?: () => number;
  /**
   * The app wallet, to pay Pioneers (`a2u`): its secret seed and the store where each signed
   * transaction is recorded before it is submitted. Without it, `a2u` calls throw `ERR_CONFIG`.
   */
  wallet?: PiWalletOptions;
}

/** What {@link pi} returns. */
export interface PiProvider<Id extends string = 'pi'> {
  readonly id: Id;
  /**
   * Verifies a Pioneer's access token with `GET /v2/me` and resolves to the uid Pi reports.
   *
   * Errors: `ERR_CREDENTIAL_MALFORMED` (not a token), `ERR_CREDENTIAL_REJECTED` (Pi answered 401:
   * invalid or expired), `ERR_CREDENTIAL_EXPIRED` (Pi's `valid_until` already passed), `ERR_PROVIDER_*`,
   * `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const { subject, username, claims } = await piApp.verify(req.body.accessToken);
   * if (!claims.scopes.includes('payments')) return reply(403);
   * ```
   */
  verify(accessToken: string, options?: CallOptions): Promise<AuthResult<Id, PiClaims>>;
  /**
   * Checks that untrusted input has an access token's shape (a string of 1 to 4096 characters) and
   * returns it; `ERR_CREDENTIAL_MALFORMED` otherwise. `verify` checks the rest with Pi.
   *
   * @example
   * ```ts
   * const user = await piApp.verify(piApp.parseCredential(body.credential));
   * ```
   */
  parseCredential(input: unknown): string;
  readonly payments: PiPayments;
  readonly ads: PiAds;
  readonly notifications: PiNotifications;
  /** App-to-user payments end to end: pay, submit, recover (needs the `wallet` option). */
  readonly a2u: PiA2U;
}

/**
 * Creates the Pi provider.
 *
 * Errors: `ERR_CONFIG` for a missing or malformed `apiKey`, a bad `baseUrl`, `timeout`, cache or
 * `wallet` option (a seed that is not a Stellar secret seed, no store, a bad Horizon URL).
 *
 * @example
 * ```ts
 * import { pi } from '@authbridge/pi';
 * const piApp = pi({ apiKey: process.env.PI_API_KEY!, cache: { ttlMs: 30_000 } });
 * const user = await piApp.verify(accessToken);
 * ```
 */
export function pi<const Id extends string = 'pi'>(options: PiOptions<Id>): PiProvider<Id> {
  const {
    apiKey,
    cache,
    now = Date.now,
    wallet: walletOptions,
    id = 'pi' as Id,
    ...http
  } = options ?? ({} as PiOptions<Id>);
  assertApiKey(apiKey);
  if (typeof id !== 'string' || id === '' || id.length > 64) {
    throw new ConfigurationError('pi: id must be a non-empty string of at most 64 characters.', {
      provider: 'pi',
    });
  }
  const { timeout, retry, fetch, hooks } = http;
  const wallet = createWallet(walletOptions, { timeout, retry, fetch, hooks }, [apiKey]);
  const client = createHttpClient({
    ...http,
    provider: 'pi',
    defaultBaseUrl: PI_API_URL,
    userAgent: `@authbridge/pi/${VERSION}`,
    secretValues: [apiKey, walletOptions?.seed],
    parseError: parsePiError,
  });
  const request = createServerRequest(client, apiKey);
  const verify = createVerify(client, cache, now);
  const payments = createPayments(request);
  return {
    id,
    verify: async (accessToken, call) => ({ ...(await verify(accessToken, call)), provider: id }),
    parseCredential: parseAccessTokenCredential,
    payments,
    ads: createAds(request),
    notifications: createNotifications(request),
    a2u: createA2U(payments, wallet, now),
  };
}

const parseAccessTokenCredential = credentialParser(
  v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TOKEN_LENGTH)),
  {
    provider: 'pi',
    message: `A Pi credential is the access token as a string of 1 to ${MAX_TOKEN_LENGTH} characters.`,
  },
);

function assertApiKey(apiKey: unknown): asserts apiKey is string {
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new ConfigurationError('pi() needs the apiKey of your app (Developer Portal, "API Key").', {
      provider: 'pi',
    });
  }
  // A common slip is pasting the header value; Pi needs exactly `Key <key>`, which we build.
  if (/^key\s/i.test(apiKey)) {
    throw new ConfigurationError('The Pi apiKey must be the bare key, without a "Key " prefix.', {
      provider: 'pi',
    });
  }
  // Printable ASCII only, at most 1024 characters, and remembered so every error hides it.
  checkSecret(apiKey, { provider: 'pi', name: 'apiKey' });
}
