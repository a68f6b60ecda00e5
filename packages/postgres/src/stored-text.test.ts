import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromStoredText, toStoredText } from './stored-text.js';

// Every UTF-16 code unit, lone surrogates included: what a JavaScript string can hold.
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
// What survives PostgreSQL text: no NUL, and no lone surrogate (well-formed UTF-16).
const storable = (text: string) =>
  !text.includes('\0') && new TextDecoder().decode(new TextEncoder().encode(text)) === text;

describe('stored text', () => {
  it('escapes %, NUL and lone surrogates, and leaves the rest alone', () => {
    expect(toStoredText('magic:didt:0xAbC:tid-1')).toBe('magic:didt:0xAbC:tid-1');
    expect(toStoredText('50%\u0000')).toBe('50%0025%0000');
    expect(toStoredText('a\uD800b\uDC00\u{1F511}')).toBe('a%d800b%dc00\u{1F511}');
  });

  it('round-trips every string and stores only what PostgreSQL text holds', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const stored = toStoredText(text);
        expect(storable(stored)).toBe(true);
        expect(fromStoredText(stored)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('never stores two different strings as the same text', () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        fc.pre(a !== b);
        expect(toStoredText(a)).not.toBe(toStoredText(b));
      }),
      { numRuns: 500 },
    );
  });
});
