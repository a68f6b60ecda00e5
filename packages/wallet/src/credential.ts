/**
 * `parseCredential` of the wallet provider: untrusted input (a request body's `credential`) checked
 * against the credential's schema before `verify`, which checks the same caps again.
 */
import { credentialParser, isChallengeId } from '@authbridge/core';
import * as v from 'valibot';
import { MAX_MESSAGE_LENGTH } from './siwe.js';
import type { WalletCredential } from './wallet.js';

/** The longest signature accepted: EOAs send 132 hex characters, contract wallets (ERC-6492) more. */
export const MAX_SIGNATURE_LENGTH = 16_384;

/** `{ challengeId, message, signature }`, strings of bounded length and nothing else. */
export const WalletCredentialSchema = v.strictObject({
  challengeId: v.pipe(
    v.string(),
    v.check((id: string) => isChallengeId(id)),
  ),
  message: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_MESSAGE_LENGTH)),
  signature: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_SIGNATURE_LENGTH)),
});

const parseSchema = credentialParser(WalletCredentialSchema, {
  provider: 'wallet',
  message:
    'A wallet credential is { challengeId, message, signature }: the id of a challenge this server issued, the signed text and its signature.',
});

/**
 * The input as a {@link WalletCredential}, or `ERR_CREDENTIAL_MALFORMED`. `verify` checks the rest.
 * A JSON body carries the signature as a string (`0x` hex, or base58 on Solana).
 *
 * @example
 * ```ts
 * const user = await provider.verify(parseWalletCredential(body.credential));
 * ```
 */
export function parseWalletCredential(input: unknown): WalletCredential {
  const { challengeId, message, signature } = parseSchema(input);
  return { challengeId, message, signature };
}
