/**
 * Magic's own error codes and how each maps onto the authbridge hierarchy.
 *
 * Every DID token failure is an `InvalidCredentialError` whose `providerCode` keeps the code the
 * official JS SDK would have used, so logs and dashboards written for `@magic-sdk/admin` still match.
 */
import { type InvalidCredentialCode, InvalidCredentialError } from '@authbridge/core';

/** The `ErrorCode` values of `@magic-sdk/admin` that a DID token check can produce. */
export type MagicTokenErrorCode =
  | 'ERROR_MALFORMED_TOKEN'
  | 'ERROR_FAILED_RECOVERING_PROOF'
  | 'ERROR_INCORRECT_SIGNER_ADDR'
  | 'ERROR_DIDT_EXPIRED'
  | 'ERROR_DIDT_CANNOT_BE_USED_YET'
  | 'ERROR_AUDIENCE_MISMATCH';

const CODES: Record<MagicTokenErrorCode, { code: InvalidCredentialCode; message: string }> = {
  ERROR_MALFORMED_TOKEN: {
    code: 'ERR_CREDENTIAL_MALFORMED',
    message: 'The DID token is malformed or failed to parse.',
  },
  ERROR_FAILED_RECOVERING_PROOF: {
    code: 'ERR_CREDENTIAL_SIGNATURE',
    message: 'The signer of the DID token could not be recovered from its proof.',
  },
  ERROR_INCORRECT_SIGNER_ADDR: {
    code: 'ERR_CREDENTIAL_SIGNATURE',
    message: 'The DID token was not signed by its issuer.',
  },
  ERROR_DIDT_EXPIRED: { code: 'ERR_CREDENTIAL_EXPIRED', message: 'The DID token has expired.' },
  ERROR_DIDT_CANNOT_BE_USED_YET: {
    code: 'ERR_CREDENTIAL_NOT_YET_VALID',
    message: 'The DID token cannot be used yet (its nbf lies in the future).',
  },
  ERROR_AUDIENCE_MISMATCH: {
    code: 'ERR_CREDENTIAL_AUDIENCE',
    message: 'The DID token was issued for another Magic app: its aud does not match the client id.',
  },
};

/**
 * The typed error of a rejected DID token. `details` must never hold the token itself.
 *
 * @example
 * ```ts
 * throw didTokenError('ERROR_DIDT_EXPIRED', { details: 'ext 1585010836 < now 1700000000' });
 * ```
 */
export function didTokenError(
  magicCode: MagicTokenErrorCode,
  options: { details?: string; cause?: unknown } = {},
): InvalidCredentialError {
  const { code, message } = CODES[magicCode];
  return new InvalidCredentialError(code, message, {
    provider: 'magic',
    providerCode: magicCode,
    ...options,
  });
}

/**
 * The typed error of a token refused by the replay store's lifespan cap (`replayMaxLifespan`). Magic
 * has no such check, so there is no Magic code: `providerCode` stays unset.
 *
 * @example
 * ```ts
 * throw replayLifespanError({ ext: 1900411204, iat: 1585011204 }, 1795435200, 86_400);
 * ```
 */
export function replayLifespanError(
  claim: { ext: number; iat: number },
  nowSeconds: number,
  maxLifespanSeconds: number,
): InvalidCredentialError {
  return new InvalidCredentialError(
    'ERR_CREDENTIAL_REJECTED',
    'The DID token lives longer than the replay store accepts (replayMaxLifespan).',
    {
      provider: 'magic',
      details: `ext - iat = ${claim.ext - claim.iat} s, ext - now = ${claim.ext - nowSeconds} s; replayMaxLifespan = ${maxLifespanSeconds} s`,
    },
  );
}
