import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as V from '../test/vectors.js';
import {
  createSignInMessageText,
  MAX_MESSAGE_LENGTH,
  parseDateTime,
  parseSignInMessageText,
  parseSiweMessage,
  type SolanaSignInMessage,
} from './index.js';

const RUNS = { numRuns: 300 };

/** Runs `parse`, which must either return or throw a typed malformed-credential error. */
function typedOrOk(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(error)).toBe(true);
  }
}

const lineChars = fc.constantFrom(...'aZ09 :/.-_@?#[]\n\r\u00e9%');
const nearMessage = (base: string) =>
  fc
    .tuple(fc.nat(base.length), fc.nat(8), fc.string({ unit: lineChars, maxLength: 6 }))
    .map(([at, cut, insert]) => base.slice(0, at) + insert + base.slice(Math.min(base.length, at + cut)));

describe('parsers under generated input', () => {
  it('parseSiweMessage returns or throws ERR_CREDENTIAL_MALFORMED, for noise and near-misses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), nearMessage(V.N0), nearMessage(V.M_A)), (text) =>
        typedOrOk(() => parseSiweMessage(text)),
      ),
      RUNS,
    );
  });

  it('what parseSiweMessage accepts never holds a CR or a second line in a one-line field', () => {
    fc.assert(
      fc.property(nearMessage(V.N0), (text) => {
        let parsed: ReturnType<typeof parseSiweMessage> | undefined;
        try {
          parsed = parseSiweMessage(text);
        } catch {
          return;
        }
        for (const value of [parsed.domain, parsed.statement, parsed.uri, parsed.nonce, parsed.requestId]) {
          expect(value ?? '').not.toMatch(/[\r\n]/);
        }
      }),
      RUNS,
    );
  });

  it('parseSignInMessageText returns or throws ERR_CREDENTIAL_MALFORMED, and what it accepts rebuilds to the same text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), nearMessage(V.W1), nearMessage(V.SIWS_TEXT[5] as string)), (text) => {
        let parsed: SolanaSignInMessage | undefined;
        try {
          parsed = parseSignInMessageText(text);
        } catch (error) {
          expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED'), String(error)).toBe(true);
          return;
        }
        // Either the text is canonical, or verifySignIn's rebuild check refuses it.
        const rebuilt = (() => {
          try {
            return createSignInMessageText(parsed);
          } catch {
            return undefined;
          }
        })();
        if (rebuilt !== undefined && rebuilt !== text)
          expect(parseSignInMessageText(rebuilt)).toEqual(parsed);
      }),
      RUNS,
    );
  });

  it('over-long input is refused before parsing, in time independent of its content', () => {
    const long = `${V.M_A}${'a'.repeat(MAX_MESSAGE_LENGTH)}`;
    expect(() => parseSiweMessage(long)).toThrowError(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
    );
    expect(() => parseSignInMessageText(long)).toThrowError(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_MALFORMED' }),
    );
  });

  it('parseDateTime agrees with Date for every real instant, and refuses impossible days', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        (date) => {
          expect(parseDateTime(date.toISOString())).toBe(date.getTime());
          const [y, m] = [date.getUTCFullYear(), date.getUTCMonth() + 1];
          const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
          const impossible = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${days + 1}T00:00:00Z`;
          expect(parseDateTime(impossible)).toBeUndefined();
        },
      ),
      RUNS,
    );
    expect(parseDateTime('2021-09-30T16:25:24-02:00')).toBe(Date.parse('2021-09-30T18:25:24Z'));
    expect(parseDateTime('2024-02-29T00:00:00Z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseDateTime('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseDateTime('2023-01-01T24:00:00Z')).toBeUndefined();
  });
});
