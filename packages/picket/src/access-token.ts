/**
 * Reading a Picket access token's claims without its key. Picket publishes no public key or JWKS
 * (spec §4), so only `POST /auth/validate` can vouch for a token; decoding locally serves to
 * reject malformed and expired tokens before a round trip, and to read `exp` from a token that
 * arrived straight from Picket.
 */
import { base64ToBytes, bytesToUtf8, InvalidCredentialError } from '@authbridge/core';
import * as v from 'valibot';
import { AccessTokenClaims } from './wire.js';

/**
 * The longest access token read, in characters, checked before any parsing. Picket's tokens are a
 * few hundred characters plus the balances they carry; 16 KiB leaves room for many balances.
 */
export const ACCESS_TOKEN_MAX_LENGTH = 16_384;

function malformed(message = 'The access token is not a JWT with a JSON payload.'): never {
  throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider: 'picket' });
}

/**
 * The claims of a Picket access token, decoded but NOT verified: never trust them for access
 * decisions; use `verifyAccessToken` (which asks Picket) for that.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED` when the token is longer than {@link ACCESS_TOKEN_MAX_LENGTH}
 * characters (checked first), or is not three base64url parts with a JSON object payload holding the
 * wallet claims.
 *
 * @example
 * ```ts
 * const { exp, walletAddress } = decodeAccessToken(accessToken);
 * ```
 */
export function decodeAccessToken(token: string): AccessTokenClaims {
  if (typeof token === 'string' && token.length > ACCESS_TOKEN_MAX_LENGTH)
    malformed(`The access token is longer than ${ACCESS_TOKEN_MAX_LENGTH} characters.`);
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || parts.some((part) => part.length === 0)) malformed();
  let payload: unknown;
  try {
    payload = JSON.parse(bytesToUtf8(base64ToBytes(parts[1] as string)));
  } catch {
    malformed();
  }
  const parsed = v.safeParse(AccessTokenClaims, payload);
  if (!parsed.success) malformed();
  return parsed.output;
}
