import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAuthBridgeError } from './errors.js';
import { encodePathSegment, isWellFormedText } from './path-segment.js';

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit makes only whole code points). */
const UTF16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const options = { provider: 'picket', name: 'chain' };

describe('encodePathSegment', () => {
  it('refuses a lone surrogate, dot segments, empty, non-string and over-long values with ERR_INVALID_ARGUMENT', () => {
    for (const bad of ['a\uD800', '\uDC00b', '.', '..', '', 42, undefined, 'x'.repeat(257)]) {
      let error: unknown;
      try {
        encodePathSegment(bad, options);
      } catch (e) {
        error = e;
      }
      expect(isAuthBridgeError(error, 'ERR_INVALID_ARGUMENT'), String(bad)).toBe(true);
    }
  });

  it('property: any string either encodes to one segment that decodes back, or is a typed error', () => {
    fc.assert(
      fc.property(fc.string({ unit: UTF16, maxLength: 40 }), (value) => {
        let encoded: string;
        try {
          encoded = encodePathSegment(value, options);
        } catch (error) {
          expect(isAuthBridgeError(error, 'ERR_INVALID_ARGUMENT')).toBe(true);
          return;
        }
        expect(encoded).not.toContain('/');
        expect(decodeURIComponent(encoded)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('property: isWellFormedText agrees with whether encodeURIComponent succeeds', () => {
    fc.assert(
      fc.property(fc.string({ unit: UTF16, maxLength: 20 }), (value) => {
        let encodes = true;
        try {
          encodeURIComponent(value);
        } catch {
          encodes = false;
        }
        expect(isWellFormedText(value)).toBe(encodes);
      }),
      { numRuns: 500 },
    );
  });
});
