import { isAuthBridgeError } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import * as V from '../test/vectors.js';
import {
  decodeDIDToken,
  generateIssuerFromPublicAddress,
  getIssuer,
  getPublicAddress,
  parsePublicAddressFromIssuer,
} from './did-token.js';
import { loadNativeRecovery } from './native-recovery.js';
import { jsRecovery, type RecoveryBackend } from './recover.js';
import { replayKey } from './replay.js';
import { type ValidateDIDTokenOptions, validateDIDToken } from './validate.js';

// The day the spec's JS column was produced: every vector's outcome depends on it.
const NOW = new Date('2026-11-23T12:00:00Z');
const ATT = 'ravi@magic.link';

/** VALID_DIDT with the proof's v byte 0x1b replaced by 0x23 (v = 35), exactly as spec §5.1 describes. */
function withRecoveryByte(token: string, vHex: string): string {
  const [proof, claim] = JSON.parse(atob(token)) as [string, string];
  return btoa(JSON.stringify([proof.slice(0, -2) + vHex, claim]));
}
const INVALID_RECOVERY_BIT = withRecoveryByte(V.VALID_DIDT, '23');

type Outcome = 'OK' | string;
function outcome(
  token: string,
  options: Partial<ValidateDIDTokenOptions>,
  recovery: RecoveryBackend,
): Outcome {
  try {
    validateDIDToken(token, { clientId: null, now: NOW, recovery, ...options });
    return 'OK';
  } catch (error) {
    if (!isAuthBridgeError(error)) throw error;
    return error.providerCode ?? error.code;
  }
}

// [name, token, JS no cid, JS att=ravi@magic.link] from spec §5.1.
const TABLE: [string, string, Outcome, Outcome][] = [
  ['VALID_DIDT', V.VALID_DIDT, 'OK', 'ERROR_INCORRECT_SIGNER_ADDR'],
  [
    'VALID_DIDT_WITH_INVALID_RECOVERY_BIT',
    INVALID_RECOVERY_BIT,
    'ERROR_FAILED_RECOVERING_PROOF',
    'ERROR_FAILED_RECOVERING_PROOF',
  ],
  [
    'VALID_FUTURE_MARKED_DIDT',
    V.VALID_FUTURE_MARKED_DIDT,
    'ERROR_DIDT_CANNOT_BE_USED_YET',
    'ERROR_INCORRECT_SIGNER_ADDR',
  ],
  [
    'INVALID_DIDT_MALFORMED_CLAIM',
    V.INVALID_DIDT_MALFORMED_CLAIM,
    'ERROR_MALFORMED_TOKEN',
    'ERROR_MALFORMED_TOKEN',
  ],
  [
    'INVALID_SIGNER_DIDT',
    V.INVALID_SIGNER_DIDT,
    'ERROR_INCORRECT_SIGNER_ADDR',
    'ERROR_INCORRECT_SIGNER_ADDR',
  ],
  ['EXPIRED_DIDT', V.EXPIRED_DIDT, 'ERROR_DIDT_EXPIRED', 'ERROR_INCORRECT_SIGNER_ADDR'],
  ['VALID_ATTACHMENT_DIDT', V.VALID_ATTACHMENT_DIDT, 'OK', 'OK'],
  ['PY_FUTURE_DID_TOKEN', V.PY_FUTURE_DID_TOKEN, 'OK', 'ERROR_INCORRECT_SIGNER_ADDR'],
];

const native = await loadNativeRecovery();

describe('spec §5 vectors, JS SDK outcomes', () => {
  const backends: RecoveryBackend[] = native ? [jsRecovery, native] : [jsRecovery];
  it('the native backend is installed here, so both backends are exercised', () => {
    expect(native?.name).toBe('native');
  });
  for (const backend of backends) {
    for (const [name, token, plain, withAttachment] of TABLE) {
      it(`${backend.name}: ${name} without clientId → ${plain}`, () => {
        expect(outcome(token, {}, backend)).toBe(plain);
      });
      it(`${backend.name}: ${name} with attachment ${ATT} → ${withAttachment}`, () => {
        expect(outcome(token, { attachment: ATT }, backend)).toBe(withAttachment);
      });
    }
    it(`${backend.name}: VALID_DIDT passes with clientId = aud and fails with another`, () => {
      expect(
        outcome(V.VALID_DIDT, { clientId: 'did:magic:f54168e9-9ce9-47f2-81c8-7cb2a96b26ba' }, backend),
      ).toBe('OK');
      expect(outcome(V.VALID_DIDT, { clientId: 'different' }, backend)).toBe('ERROR_AUDIENCE_MISMATCH');
    });
    it(`${backend.name}: the Python fixture passes with client_id = aud`, () => {
      expect(
        outcome(
          V.PY_FUTURE_DID_TOKEN,
          { clientId: 'did:magic:731848cc-084e-41ff-bbdf-7f103817ea6b' },
          backend,
        ),
      ).toBe('OK');
    });
    it(`${backend.name}: v = 0 and v = 1 fail recovery like the JS SDK`, () => {
      expect(outcome(withRecoveryByte(V.VALID_DIDT, '00'), {}, backend)).toBe(
        'ERROR_FAILED_RECOVERING_PROOF',
      );
      expect(outcome(withRecoveryByte(V.VALID_DIDT, '01'), {}, backend)).toBe(
        'ERROR_FAILED_RECOVERING_PROOF',
      );
    });
  }
});

describe('time edges', () => {
  it('ext == now still passes; ext < now is expired (no grace on ext)', () => {
    expect(outcome(V.EXPIRED_DIDT, { now: 1585010836 * 1000 + 999 }, jsRecovery)).toBe('OK');
    expect(outcome(V.EXPIRED_DIDT, { now: 1585010837 * 1000 }, jsRecovery)).toBe('ERROR_DIDT_EXPIRED');
  });
  it('nbf has 300 s of grace', () => {
    const nbf = 1907314582;
    expect(outcome(V.VALID_FUTURE_MARKED_DIDT, { now: (nbf - 300) * 1000 }, jsRecovery)).toBe('OK');
    expect(outcome(V.VALID_FUTURE_MARKED_DIDT, { now: (nbf - 301) * 1000 }, jsRecovery)).toBe(
      'ERROR_DIDT_CANNOT_BE_USED_YET',
    );
  });
});

describe('decode, getIssuer, getPublicAddress', () => {
  it('decode keeps the raw claim and parses it', () => {
    const decoded = decodeDIDToken(V.VALID_DIDT);
    expect(decoded.proof).toMatch(/^0xe024355e/);
    expect(JSON.parse(decoded.rawClaim)).toEqual(decoded.claim);
    expect(decoded.claim).toEqual({
      iat: 1585011204,
      ext: 1900411204,
      iss: 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089',
      sub: '6tFXTfRxykwMKOOjSMbdPrEMrpUl3m3j8DQycFqO2tw=',
      aud: 'did:magic:f54168e9-9ce9-47f2-81c8-7cb2a96b26ba',
      nbf: 1585011204,
      tid: '2ddf5983-983b-487d-b464-bc5e283a03c5',
      add: expect.stringMatching(/^0x91fbe74b/),
    });
  });
  it('getIssuer and getPublicAddress keep the case', () => {
    expect(getIssuer(V.VALID_DIDT)).toBe('did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089');
    expect(getPublicAddress(V.PY_FUTURE_DID_TOKEN)).toBe('0x4B73C58370AEfcEf86A6021afCDe5673511376B2');
  });
  it('the JS SDK unit expectations of spec §5.1 for the issuer helpers', () => {
    expect(generateIssuerFromPublicAddress('0x1234')).toBe('did:ethr:0x1234');
    expect(generateIssuerFromPublicAddress('0x1234', 'test')).toBe('did:test:0x1234');
    expect(parsePublicAddressFromIssuer('did:ethr')).toBe('');
    expect(parsePublicAddressFromIssuer('did:ethr:0xAbC')).toBe('0xabc');
  });
  it('the unpadded attachment token decodes', () => {
    expect(decodeDIDToken(V.VALID_ATTACHMENT_DIDT).claim.ext).toBe(1.0000000000016881e21);
  });
  it('padding is optional: a token has two spellings, with one claim and one replay key (README)', () => {
    const padded = `${V.VALID_ATTACHMENT_DIDT}${'='.repeat((4 - (V.VALID_ATTACHMENT_DIDT.length % 4)) % 4)}`;
    const unpadded = V.VALID_DIDT.replace(/=+$/, '');
    for (const [given, other, attachment] of [
      [V.VALID_DIDT, unpadded, 'none'],
      [V.VALID_ATTACHMENT_DIDT, padded, ATT],
    ] as const) {
      expect(other).not.toBe(given);
      expect(outcome(other, { attachment }, jsRecovery)).toBe('OK');
      const claim = decodeDIDToken(other).claim;
      expect(claim).toEqual(decodeDIDToken(given).claim);
      expect(replayKey(claim)).toBe(replayKey(decodeDIDToken(given).claim));
    }
  });
  it('malformed inputs throw ERR_CREDENTIAL_MALFORMED', () => {
    for (const bad of [
      '',
      'not base64!',
      btoa('[1,2,3]'),
      btoa('["0x", 5]'),
      btoa('nope'),
      V.VALID_DIDT.replace(/=+$/, '='),
    ]) {
      expect(() => decodeDIDToken(bad), bad).toThrowError(
        expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
      );
    }
  });
});

describe('claim types are checked (magic-admin-js#155)', () => {
  // Signature checks come after parsing, so an unsigned token is enough to reach the type check.
  const tokenWith = (patch: Record<string, unknown>) => {
    const claim = {
      iat: 1,
      ext: 2,
      nbf: 1,
      iss: 'did:ethr:0x00',
      sub: 's',
      aud: 'a',
      tid: 't',
      add: '0x',
      ...patch,
    };
    return btoa(JSON.stringify(['0x00', JSON.stringify(claim)]));
  };
  for (const patch of [
    { ext: 'never' },
    { ext: null },
    { nbf: '0' },
    { iat: true },
    { iss: 42 },
    { add: {} },
  ]) {
    it(`${JSON.stringify(patch)} is malformed, not accepted`, () => {
      expect(outcome(tokenWith(patch), {}, jsRecovery)).toBe('ERROR_MALFORMED_TOKEN');
    });
  }
  it('JSON cannot carry Infinity or NaN; 1e400 parses to Infinity and is refused', () => {
    const claim = `{"iat":1,"ext":1e400,"nbf":1,"iss":"did:ethr:0x00","sub":"s","aud":"a","tid":"t","add":"0x"}`;
    expect(outcome(btoa(JSON.stringify(['0x00', claim])), {}, jsRecovery)).toBe('ERROR_MALFORMED_TOKEN');
  });
});
