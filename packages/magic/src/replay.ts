/**
 * Remembering accepted login tokens until they expire, so each is accepted once.
 */
import { type KeyValueStore, recordOnce } from '@authbridge/core';
import type { DIDTokenClaim } from './did-token.js';
import { parsePublicAddressFromIssuer } from './did-token.js';

/**
 * The replay key of a claim. It comes from the signed claim, not the token string: a re-encoded
 * token or a second signature over the same claim (its high-s twin) maps to the same key. The
 * address is lowercased, as the signer comparison is case-blind.
 *
 * @example
 * ```ts
 * replayKey(decodeDIDToken(didToken).claim);
 * // 'magic:didt:0xb2ec9b61699762491b6542278e9dfec9050f8089:2ddf5983-983b-487d-b464-bc5e283a03c5'
 * ```
 */
export function replayKey(claim: DIDTokenClaim): string {
  return `magic:didt:${parsePublicAddressFromIssuer(claim.iss)}:${claim.tid}`;
}

/**
 * Records a validated claim until the token can no longer pass on time; throws when it was recorded
 * before. Only called after every other check passed, so a forged token can never burn a real
 * token's id.
 *
 * Errors: `ERR_CREDENTIAL_REPLAYED`; `ERR_STORE` when the store fails (fail closed).
 */
export function recordClaimOnce(store: KeyValueStore, claim: DIDTokenClaim, nowMs: number): Promise<void> {
  // ext is inclusive to the second; keep the record until the token can no longer pass on time.
  const ttlMs = Math.min(Math.max((claim.ext + 1) * 1000 - nowMs, 1), Number.MAX_SAFE_INTEGER - nowMs);
  return recordOnce(store, replayKey(claim), ttlMs, {
    provider: 'magic',
    credential: 'DID token',
    value: String(claim.ext),
  });
}
