/**
 * `parseCredential` of the Picket provider: untrusted input (a request body's `credential`) checked
 * against the credential's schema before `verify`.
 */
import { credentialParser, isChallengeId } from '@authbridge/core';
import * as v from 'valibot';
import type { PicketCredential } from './picket.js';

/**
 * `{ challengeId, signature }` and nothing else; the signature at most 1024 characters, far above any
 * chain's (132 for EVM, 88 for Solana), so a request body never carries `verify`'s larger cap.
 */
export const PicketCredentialSchema = v.strictObject({
  challengeId: v.pipe(
    v.string(),
    v.check((id: string) => isChallengeId(id)),
  ),
  signature: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});

/**
 * The input as a {@link PicketCredential}, or `ERR_CREDENTIAL_MALFORMED`. `verify` checks the rest.
 *
 * @example
 * ```ts
 * const result = await provider.verify(parsePicketCredential(body.credential));
 * ```
 */
export const parsePicketCredential: (input: unknown) => PicketCredential = credentialParser(
  PicketCredentialSchema,
  {
    provider: 'picket',
    message:
      'A Picket credential is { challengeId, signature }: the id of a challenge this server issued and the wallet signature.',
  },
);
