import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { credentialParser } from './credential-parser.js';
import { isAuthBridgeError } from './errors.js';

describe('credentialParser', () => {
  const parse = credentialParser(v.strictObject({ challengeId: v.pipe(v.string(), v.maxLength(22)) }), {
    provider: 'wallet',
    message: 'A wallet credential is { challengeId }.',
  });

  it('returns the parsed credential', () => {
    expect(parse({ challengeId: 'abc' })).toEqual({ challengeId: 'abc' });
  });

  it('throws ERR_CREDENTIAL_MALFORMED with the given message and provider, never echoing the input', () => {
    const secret = 'did-token-that-must-not-leak';
    let error: unknown;
    try {
      parse({ challengeId: secret, extra: secret });
    } catch (caught) {
      error = caught;
    }
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')).toBe(true);
    expect(error).toMatchObject({
      provider: 'wallet',
      shortMessage: 'A wallet credential is { challengeId }.',
    });
    expect(JSON.stringify((error as Error).message)).not.toContain(secret);
  });
});
