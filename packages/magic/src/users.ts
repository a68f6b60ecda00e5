/**
 * The `users` namespace: user metadata and logout, by issuer, public address or DID token.
 */
import type { CallOptions, HttpClient } from '@authbridge/core';
import { generateIssuerFromPublicAddress, getIssuer } from './did-token.js';
import { LogoutSchema, UserMetadataSchema, type WalletType } from './wire.js';

/** A wallet of a user (camelCase, unlike the JS SDK, which passes Magic's snake_case through). */
export interface MagicWallet {
  walletType: string;
  network: string | null;
  publicAddress: string | null;
}

/** A user's metadata (`GET /v1/admin/user`). */
export interface MagicUserMetadata {
  issuer: string;
  publicAddress: string | null;
  email: string | null;
  oauthProvider: string | null;
  phoneNumber: string | null;
  username: string | null;
  /** The wallets of the requested `walletType`; `null` when none was asked for (`'NONE'`). */
  wallets: MagicWallet[] | null;
}

/** Options of the metadata calls. */
export interface GetMetadataOptions extends CallOptions {
  /** Which wallets to include: one chain, `'ANY'` for all, `'NONE'` (default) for none. */
  walletType?: WalletType;
}

/** The `users` namespace of {@link createMagicAdmin}. */
export interface MagicUsers {
  /** The user's metadata (email, wallets...) by their issuer (`did:ethr:0x...`). */
  getMetadataByIssuer(issuer: string, options?: GetMetadataOptions): Promise<MagicUserMetadata>;
  /** The user's metadata by their public address. */
  getMetadataByPublicAddress(publicAddress: string, options?: GetMetadataOptions): Promise<MagicUserMetadata>;
  /** The user's metadata by a DID token, which is validated first. */
  getMetadataByToken(didToken: string, options?: GetMetadataOptions): Promise<MagicUserMetadata>;
  /** Ends the user's Magic sessions, by issuer. */
  logoutByIssuer(issuer: string, options?: CallOptions): Promise<void>;
  /** Ends the user's Magic sessions, by public address. */
  logoutByPublicAddress(publicAddress: string, options?: CallOptions): Promise<void>;
  /** Ends the user's Magic sessions, by a DID token, which is validated first. */
  logoutByToken(didToken: string, options?: CallOptions): Promise<void>;
}

/**
 * Builds the `users` namespace on an admin HTTP client.
 *
 * Every method throws, and never resolves to empty metadata on failure: `ERR_PROVIDER_*` for an HTTP
 * error status (Magic's `error_code` in `providerCode`), `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`,
 * `ERR_UNEXPECTED_RESPONSE` (not JSON, or no `issuer`); the `ByToken` forms also
 * `ERR_CREDENTIAL_MALFORMED`. The `ByToken` forms only decode the token: validate it first.
 *
 * @example
 * ```ts
 * const users = createUsers(createMagicHttpClient(secretKey));
 * const { email, wallets } = await users.getMetadataByIssuer(issuer, { walletType: 'SOLANA' });
 * await users.logoutByIssuer(issuer);
 * ```
 */
export function createUsers(http: HttpClient): MagicUsers {
  async function getMetadataByIssuer(
    issuer: string,
    options: GetMetadataOptions = {},
  ): Promise<MagicUserMetadata> {
    const body = await http.request({
      method: 'GET',
      path: 'v1/admin/user',
      searchParams: { issuer, wallet_type: options.walletType ?? 'NONE' },
      schema: UserMetadataSchema,
      signal: options.signal,
    });
    return {
      issuer: body.issuer,
      publicAddress: body.public_address,
      email: body.email,
      oauthProvider: body.oauth_provider,
      phoneNumber: body.phone_number,
      username: body.username,
      wallets:
        body.wallets?.map((w) => ({
          walletType: w.wallet_type,
          network: w.network,
          publicAddress: w.public_address,
        })) ?? null,
    };
  }

  async function logoutByIssuer(issuer: string, options: CallOptions = {}): Promise<void> {
    await http.request({
      method: 'POST',
      path: 'v1/admin/user/logout',
      json: { issuer },
      schema: LogoutSchema,
      retry: false,
      signal: options.signal,
    });
  }

  return {
    getMetadataByIssuer,
    getMetadataByPublicAddress: (address, options) =>
      getMetadataByIssuer(generateIssuerFromPublicAddress(address), options),
    getMetadataByToken: async (didToken, options) => getMetadataByIssuer(getIssuer(didToken), options),
    logoutByIssuer,
    logoutByPublicAddress: (address, options) =>
      logoutByIssuer(generateIssuerFromPublicAddress(address), options),
    logoutByToken: async (didToken, options) => logoutByIssuer(getIssuer(didToken), options),
  };
}
