/**
 * `parseCredential` of the Toopher provider: untrusted input (a request body's `credential`) checked
 * against the credential's schema before `verify`.
 */
import { credentialParser, isChallengeId } from '@authbridge/core';
import * as v from 'valibot';
import type { ToopherCredential } from './provider.js';

const MAX_POSTBACK_FIELDS = 32;
const MAX_POSTBACK_LENGTH = 8192;

/** `{ challengeId }` or `{ challengeId, postback }`, the postback as form text or a flat object of strings. */
export const ToopherCredentialSchema = v.strictObject({
  challengeId: v.pipe(
    v.string(),
    v.check((id: string) => isChallengeId(id)),
  ),
  postback: v.optional(
    v.union([
      v.pipe(v.string(), v.maxLength(MAX_POSTBACK_LENGTH)),
      v.pipe(
        v.record(v.pipe(v.string(), v.maxLength(64)), v.pipe(v.string(), v.maxLength(MAX_POSTBACK_LENGTH))),
        v.check((fields) => Object.keys(fields).length <= MAX_POSTBACK_FIELDS),
      ),
    ]),
  ),
});

const parseSchema = credentialParser(ToopherCredentialSchema, {
  provider: 'toopher',
  message:
    'A Toopher credential is { challengeId } or { challengeId, postback }: the id of a challenge this server issued.',
});

/**
 * The input as a {@link ToopherCredential}, or `ERR_CREDENTIAL_MALFORMED`. `verify` checks the rest.
 *
 * @example
 * ```ts
 * const result = await provider.verify(parseToopherCredential(body.credential));
 * ```
 */
export function parseToopherCredential(input: unknown): ToopherCredential {
  const { challengeId, postback } = parseSchema(input);
  return postback === undefined ? { challengeId } : { challengeId, postback };
}
