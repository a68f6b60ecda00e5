// PostgreSQL `text` cannot hold NUL, and a lone UTF-16 surrogate would reach the server as U+FFFD, so
// two different keys could become one row. Those characters, and `%` itself, are written as `%` and
// four hex digits: every `%` in stored text starts an escape, so the encoding is injective and any
// JavaScript string survives the round trip unchanged.
const UNSAFE = /%|\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPE = /%([0-9a-f]{4})/g;

/**
 * The text stored for a key or value: `%`, NUL and lone surrogates escaped as `%xxxx`.
 *
 * Errors: none.
 *
 * @example
 * ```ts
 * toStoredText('50%\u0000'); // '50%0025%0000'
 * ```
 */
export function toStoredText(text: string): string {
  return text.replace(UNSAFE, (char) => `%${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The string {@link toStoredText} was given.
 *
 * Errors: none.
 *
 * @example
 * ```ts
 * fromStoredText('50%0025%0000'); // '50%\u0000'
 * ```
 */
export function fromStoredText(stored: string): string {
  return stored.replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
