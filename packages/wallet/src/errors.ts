/**
 * The wallet package's error helpers: every failure is an `InvalidCredentialError` (or a
 * configuration error) carrying `provider: 'wallet'` unless a caller names another package.
 */
import { ConfigurationError, type InvalidCredentialCode, InvalidCredentialError } from '@authbridge/core';

/** The provider id of `wallet()`, carried by its errors. */
export const WALLET_PROVIDER = 'wallet';

/** Throws an `InvalidCredentialError` with `code`. */
export function refuse(
  code: InvalidCredentialCode,
  message: string,
  details?: string,
  provider = WALLET_PROVIDER,
): never {
  throw new InvalidCredentialError(code, message, { provider, details });
}

/** Throws `ERR_CREDENTIAL_MALFORMED`. */
export function malformed(message: string, details?: string, provider = WALLET_PROVIDER): never {
  refuse('ERR_CREDENTIAL_MALFORMED', message, details, provider);
}

/** Throws `ERR_CONFIG`. */
export function misconfigured(message: string): never {
  throw new ConfigurationError(message, { provider: WALLET_PROVIDER });
}

/** Throws `ERR_CREDENTIAL_CHAIN` for a message that names `chainId`. */
export function wrongChain(chainId: string | number): never {
  refuse('ERR_CREDENTIAL_CHAIN', 'The message was signed for another chain.', `Chain ID: ${chainId}`);
}

/** Throws `ERR_CREDENTIAL_NONCE`. */
export function wrongNonce(): never {
  refuse('ERR_CREDENTIAL_NONCE', 'The message nonce is not the one this server issued.');
}
