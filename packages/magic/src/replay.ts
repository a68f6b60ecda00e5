/**
 * Remembering accepted login tokens until they expire, so each is accepted once.
 */
import { type KeyValueStore, recordOnce } from '@authbridge/core';
import type { DIDTokenClaim } from './did-token.js';
import { parsePublicAddressFromIssuer } from './did-token.js';
import { replayLifespanError } from './errors.js';

/**
 * The default `replayMaxLifespan`: one day, in seconds. Magic's tokens live 900 s unless the client
 * asks `getIdToken({ lifespan })` for another lifespan, and Magic documents no upper bound (spec
 * §1.1); a day is 96 times the default, room for apps that lengthen it, while no record outlives it.
 */
export const REPLAY_MAX_LIFESPAN_SECONDS = 86_400;

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

/** Limits of {@link recordClaimOnce}. */
export interface ReplayRecordLimits {
  /** The longest lifespan, in seconds, of a token accepted for a login. */
  maxLifespanSeconds: number;
  /** How long, in ms, a record outlives the token's `ext`: the clock-skew margin between instances. */
  skewMs: number;
}

/**
 * Records a validated claim until the token can no longer pass on any instance whose clock is behind
 * by less than `skewMs`; throws when it was recorded before. Only called after every other check
 * passed, so a forged token can never burn a real token's id.
 *
 * Anyone can sign a valid token with a throwaway key (Magic tokens are self-signed by the user's
 * key), so a token whose lifespan exceeds `maxLifespanSeconds`, by `ext - iat` or by `ext - now`,
 * is refused before anything is written: a record never lives longer than that cap plus the margin
 * (and the second `ext` includes).
 *
 * Errors: `ERR_CREDENTIAL_REJECTED` (lifespan over the cap), `ERR_CREDENTIAL_REPLAYED`; `ERR_STORE`
 * when the store fails (fail closed).
 *
 * @example
 * ```ts
 * await recordClaimOnce(store, claim, Date.now(), { maxLifespanSeconds: 86_400, skewMs: 300_000 });
 * ```
 */
export async function recordClaimOnce(
  store: KeyValueStore,
  claim: DIDTokenClaim,
  nowMs: number,
  limits: ReplayRecordLimits,
): Promise<void> {
  const { maxLifespanSeconds, skewMs } = limits;
  const nowSeconds = Math.floor(nowMs / 1000);
  if (claim.ext - claim.iat > maxLifespanSeconds || claim.ext - nowSeconds > maxLifespanSeconds)
    throw replayLifespanError(claim, nowSeconds, maxLifespanSeconds);
  // ext is inclusive to the second; keep the record until the token can no longer pass on time, on
  // this clock or on one up to skewMs behind it.
  const ttlMs = Math.min(
    Math.max((claim.ext + 1) * 1000 - nowMs, 1) + skewMs,
    Number.MAX_SAFE_INTEGER - nowMs,
  );
  return recordOnce(store, replayKey(claim), ttlMs, {
    provider: 'magic',
    credential: 'DID token',
    value: String(claim.ext),
  });
}
