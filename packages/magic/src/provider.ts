/**
 * `magic(...)`: Magic behind the authbridge `AuthProvider` contract.
 */
import {
  type AuthResult,
  type CallOptions,
  ConfigurationError,
  credentialParser,
  type LogoutProvider,
} from '@authbridge/core';
import * as v from 'valibot';
import { createMagicAdmin, type MagicAdmin, type MagicAdminOptions } from './admin.js';
import type { DIDTokenClaim } from './did-token.js';

/** Options of {@link magic}: those of {@link createMagicAdmin}, plus what `verify` returns. */
export interface MagicProviderOptions<Id extends string = 'magic'> extends MagicAdminOptions {
  /**
   * The id the provider is registered under in `createAuth` and names in `AuthResult.provider`. Default
   * `'magic'`; another one lets an app register several Magic apps (`'magic-eu'`, `'magic-us'`).
   */
  id?: Id;
  /** Fetch the user's metadata on each `verify` to fill `email` (one admin API call). Default false. */
  fetchMetadata?: boolean;
  /** The attachment every login token must carry in `add`. Default `'none'`: not checked. */
  attachment?: string;
}

/** The claims of a Magic `AuthResult`: the validated DID token claim. */
export type MagicClaims = DIDTokenClaim;

/** The Magic provider, registered under `Id` (`'magic'` unless its options name another). */
export interface MagicProvider<Id extends string = 'magic'> extends LogoutProvider<Id, string, MagicClaims> {
  readonly id: Id;
  /**
   * Validates a DID token; subject = the canonical issuer, `did:ethr:` + the EIP-55 checksummed
   * address (the raw `iss` stays in `claims.iss`).
   */
  verify(didToken: string, options?: CallOptions): Promise<AuthResult<Id, MagicClaims>>;
  /**
   * Checks that untrusted input is a DID token's shape (a string of 1 to
   * {@link MAX_DID_TOKEN_CREDENTIAL_LENGTH} characters) and returns it; `ERR_CREDENTIAL_MALFORMED`
   * otherwise. `verify` checks the rest.
   */
  parseCredential(input: unknown): string;
  /** Logs the user (an issuer) out of Magic. */
  logout(subject: string, options?: CallOptions): Promise<void>;
  /** The full admin client: users, token helpers, client id. */
  readonly admin: MagicAdmin;
}

/** The longest credential `parseCredential` passes on: far above any DID token Magic issues. */
export const MAX_DID_TOKEN_CREDENTIAL_LENGTH = 8192;

const parseDIDTokenCredential = credentialParser(
  v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_DID_TOKEN_CREDENTIAL_LENGTH)),
  {
    provider: 'magic',
    message: `A Magic credential is the DID token as a string of 1 to ${MAX_DID_TOKEN_CREDENTIAL_LENGTH} characters.`,
  },
);

// Date holds ms up to 8.64e15; Magic tokens may carry an `ext` far past it (1e21 in a real fixture).
const MAX_DATE_MS = 8.64e15;

/**
 * Creates the Magic provider. `verify` validates locally, looking the client id up once (unless
 * `clientId` is set) so the audience check is automatic.
 *
 * With a `replayStore`, `verify` uses the token up as soon as it passes validation, before the
 * metadata call of `fetchMetadata`: a replay is refused without calling Magic, and when that call
 * fails the token is spent (the error is the call's, not a credential error) and the client must
 * get a fresh DID token.
 *
 * `verify` errors: those of `token.validate` (see {@link createMagicAdmin}): `ERR_CREDENTIAL_*`,
 * `ERR_STORE`, `ERR_ABORTED`, and for the client-id lookup or metadata `ERR_PROVIDER_*`,
 * `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_UNEXPECTED_RESPONSE`. `logout` errors: `ERR_PROVIDER_*`,
 * `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`. Construction: `ERR_CONFIG`.
 *
 * @example
 * ```ts
 * const provider = magic({ secretKey: process.env.MAGIC_SECRET_KEY!, replayStore: createMemoryStore() });
 * const { subject, wallet } = await provider.verify(provider.parseCredential(body.credential));
 * // A second Magic app in the same registry:
 * const eu = magic({ id: 'magic-eu', secretKey: process.env.MAGIC_EU_SECRET_KEY!, clientId: [web, mobile] });
 * ```
 */
export function magic<const Id extends string = 'magic'>(
  options: MagicProviderOptions<Id>,
): MagicProvider<Id> {
  const { fetchMetadata = false, attachment, id = 'magic' as Id, ...adminOptions } = options;
  if (typeof id !== 'string' || id === '' || id.length > 64) {
    throw new ConfigurationError('magic: id must be a non-empty string of at most 64 characters.', {
      provider: 'magic',
    });
  }
  const admin = createMagicAdmin(adminOptions);
  return {
    id,
    admin,
    parseCredential: parseDIDTokenCredential,
    async verify(didToken, call = {}) {
      const token = await admin.token.validate(didToken, { attachment, signal: call.signal });
      const metadata = fetchMetadata ? await admin.users.getMetadataByIssuer(token.issuer, call) : undefined;
      const expiresMs = token.claim.ext * 1000;
      return {
        provider: id,
        subject: token.issuer,
        wallet: { chain: 'ethereum', address: token.publicAddress },
        ...(metadata?.email ? { email: metadata.email } : {}),
        ...(metadata?.username ? { username: metadata.username } : {}),
        ...(expiresMs <= MAX_DATE_MS ? { expiresAt: new Date(expiresMs) } : {}),
        claims: token.claim,
      };
    },
    logout: (subject, call = {}) => admin.users.logoutByIssuer(subject, call),
  };
}
