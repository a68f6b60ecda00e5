/**
 * DID token validation, in the order of the official JS SDK's `token.validate` so that every token
 * in Magic's own form gets the same accept/reject outcome (and the same Magic code) as there.
 * Re-spellings that only the SDK's lenient decoders accept are refused (see did-token.ts).
 */
import {
  type DecodedDIDToken,
  type DIDTokenClaim,
  decodeDIDToken,
  parsePublicAddressFromIssuer,
} from './did-token.js';
import { didTokenError } from './errors.js';
import { jsRecovery, type RecoveryBackend, recoverPersonalSigner } from './recover.js';

/** Magic's allowance for clock skew on `nbf`. There is none on `ext`. */
export const NBF_GRACE_SECONDS = 300;

/** Options of {@link validateDIDToken}. */
export interface ValidateDIDTokenOptions {
  /**
   * The app's Magic client id, or `null` to skip the audience check. Required on purpose: skipping
   * it is a decision, never a default.
   */
  clientId: string | readonly string[] | null;
  /** The message the client signed into `add`. `'none'` (the default) or empty skips that check. */
  attachment?: string;
  /** The time to judge `ext` and `nbf` by: a `Date` or ms since the epoch. Default now. */
  now?: Date | number;
  /** The secp256k1 recovery backend. Default {@link jsRecovery}. */
  recovery?: RecoveryBackend;
}

function nowSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  return Math.floor(ms / 1000);
}

/**
 * Checks the signature, then the times, of a DID token, and returns it decoded. Synchronous, no I/O.
 *
 * Order: parse (`ERROR_MALFORMED_TOKEN`), recover the proof's and the attachment's signers
 * (`ERROR_FAILED_RECOVERING_PROOF`), compare them with `iss` (`ERROR_INCORRECT_SIGNER_ADDR`), `ext`
 * (`ERROR_DIDT_EXPIRED`), `nbf` with 300 s grace (`ERROR_DIDT_CANNOT_BE_USED_YET`), `aud`
 * (`ERROR_AUDIENCE_MISMATCH`).
 *
 * Errors (all `InvalidCredentialError`, Magic code in `providerCode`): `ERR_CREDENTIAL_MALFORMED`,
 * `ERR_CREDENTIAL_SIGNATURE`, `ERR_CREDENTIAL_EXPIRED`, `ERR_CREDENTIAL_NOT_YET_VALID`,
 * `ERR_CREDENTIAL_AUDIENCE`.
 *
 * @example
 * ```ts
 * const { claim } = validateDIDToken(didToken, { clientId: 'did:magic:f54168e9-…' });
 * claim.iss; // the user
 * ```
 */
export function validateDIDToken(didToken: string, options: ValidateDIDTokenOptions): DecodedDIDToken {
  const decoded = decodeDIDToken(didToken);
  const { claim } = decoded;
  const backend = options.recovery ?? jsRecovery;
  const attachment = options.attachment ?? 'none';
  let tokenSigner: string;
  let attachmentSigner: string | undefined;
  try {
    tokenSigner = recoverPersonalSigner(decoded.rawClaim, decoded.proof, backend);
    if (attachment && attachment !== 'none')
      attachmentSigner = recoverPersonalSigner(attachment, claim.add, backend);
  } catch (error) {
    throw didTokenError('ERROR_FAILED_RECOVERING_PROOF', {
      details: error instanceof Error ? error.message : undefined,
    });
  }
  const claimedIssuer = parsePublicAddressFromIssuer(claim.iss);
  if (
    claimedIssuer !== tokenSigner ||
    (attachmentSigner !== undefined && claimedIssuer !== attachmentSigner)
  ) {
    throw didTokenError('ERROR_INCORRECT_SIGNER_ADDR', {
      details:
        attachmentSigner !== undefined && claimedIssuer === tokenSigner
          ? 'The attachment signature does not match.'
          : undefined,
    });
  }
  const now = nowSeconds(options.now);
  if (claim.ext < now)
    throw didTokenError('ERROR_DIDT_EXPIRED', { details: `ext ${claim.ext} < now ${now}` });
  if (claim.nbf - NBF_GRACE_SECONDS > now) {
    throw didTokenError('ERROR_DIDT_CANNOT_BE_USED_YET', {
      details: `nbf ${claim.nbf} > now ${now} + ${NBF_GRACE_SECONDS}`,
    });
  }
  if (options.clientId !== null) checkAudience(claim, options.clientId);
  return decoded;
}

/**
 * The last check of {@link validateDIDToken}, on its own for callers that learn the client id
 * after the local checks (the admin client looks it up only for tokens that passed them).
 *
 * Throws `ERR_CREDENTIAL_AUDIENCE` (`providerCode` `ERROR_AUDIENCE_MISMATCH`).
 *
 * @example
 * ```ts
 * const { claim } = validateDIDToken(didToken, { clientId: null });
 * checkAudience(claim, await lookUpClientId());
 * ```
 */
export function checkAudience(claim: DIDTokenClaim, clientId: string | readonly string[]): void {
  const accepted = typeof clientId === 'string' ? claim.aud === clientId : clientId.includes(claim.aud);
  if (!accepted) throw didTokenError('ERROR_AUDIENCE_MISMATCH');
}
