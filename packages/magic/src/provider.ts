/**
 * `magic(...)`: Magic behind the authbridge `AuthProvider` contract.
 */
import type { AuthResult, CallOptions, LogoutProvider } from '@authbridge/core';
import { createMagicAdmin, type MagicAdmin, type MagicAdminOptions } from './admin.js';
import type { DIDTokenClaim } from './did-token.js';

/** Options of {@link magic}: those of {@link createMagicAdmin}, plus what `verify` returns. */
export interface MagicProviderOptions extends MagicAdminOptions {
  /** Fetch the user's metadata on each `verify` to fill `email` (one admin API call). Default false. */
  fetchMetadata?: boolean;
  /** The attachment every login token must carry in `add`. Default `'none'`: not checked. */
  attachment?: string;
}

/** The claims of a Magic `AuthResult`: the validated DID token claim. */
export type MagicClaims = DIDTokenClaim;

/** The Magic provider. */
export interface MagicProvider extends LogoutProvider<'magic', string, MagicClaims> {
  readonly id: 'magic';
  /**
   * Validates a DID token; subject = the canonical issuer, `did:ethr:` + the EIP-55 checksummed
   * address (the raw `iss` stays in `claims.iss`).
   */
  verify(didToken: string, options?: CallOptions): Promise<AuthResult<'magic', MagicClaims>>;
  /** Logs the user (an issuer) out of Magic. */
  logout(subject: string, options?: CallOptions): Promise<void>;
  /** The full admin client: users, token helpers, client id. */
  readonly admin: MagicAdmin;
}

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
 * const { subject, wallet } = await provider.verify(didToken);
 * ```
 */
export function magic(options: MagicProviderOptions): MagicProvider {
  const { fetchMetadata = false, attachment, ...adminOptions } = options;
  const admin = createMagicAdmin(adminOptions);
  return {
    id: 'magic',
    admin,
    async verify(didToken, call = {}) {
      const token = await admin.token.validate(didToken, { attachment, signal: call.signal });
      const metadata = fetchMetadata ? await admin.users.getMetadataByIssuer(token.issuer, call) : undefined;
      const expiresMs = token.claim.ext * 1000;
      return {
        provider: 'magic',
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
