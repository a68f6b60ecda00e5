/**
 * Form encoding the way Toopher's reference SDK (Python 2 `urllib.urlencode`) writes it: a space is `+`
 * and everything except `A-Z a-z 0-9 _ . -` is `%XX`. Both the iframe URLs and the postback signature
 * depend on this exact spelling.
 */

import { InvalidArgumentError, isWellFormedText } from '@authbridge/core';

/** One decoded form pair, in wire order. Pairs rather than a map: order and duplicates matter. */
export type FormPair = readonly [name: string, value: string];

/**
 * The longest parameter name or value sent to Toopher (a username, a terminal name, an iframe
 * extra), in characters. Toopher's own fields are short; the cap keeps absurd input off the wire.
 */
export const TOOPHER_TEXT_MAX_LENGTH = 1024;

/**
 * Refuses, before anything is signed, a parameter that could not be encoded (a lone surrogate,
 * which `encodeURIComponent` answers with a raw `URIError`) or is longer than
 * {@link TOOPHER_TEXT_MAX_LENGTH}. Throws `ERR_INVALID_ARGUMENT` naming the parameter, not its value.
 *
 * @example
 * ```ts
 * checkFormPairs([['username', username]]);
 * ```
 */
export function checkFormPairs(pairs: Iterable<FormPair>): void {
  for (const [name, value] of pairs) {
    for (const text of [name, value]) {
      if (text.length > TOOPHER_TEXT_MAX_LENGTH || !isWellFormedText(text)) {
        throw new InvalidArgumentError(
          `The Toopher parameter '${isWellFormedText(name) ? name.slice(0, 64) : '?'}' must be well-formed text of at most ${TOOPHER_TEXT_MAX_LENGTH} characters.`,
          { provider: 'toopher' },
        );
      }
    }
  }
}

const EXTRA_UNSAFE = /[!'()*~]/g;

/** `quote_plus` of one name or value. */
export function formEncodeComponent(value: string): string {
  return encodeURIComponent(value)
    .replace(EXTRA_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `name=value&…` in the order given. Empty values stay as `name=`. */
export function formEncode(pairs: Iterable<FormPair>): string {
  const out: string[] = [];
  for (const [name, value] of pairs) out.push(`${formEncodeComponent(name)}=${formEncodeComponent(value)}`);
  return out.join('&');
}

/**
 * Decodes `application/x-www-form-urlencoded` text into pairs, `+` read as a space. A pair without `=`
 * has an empty value. Throws `URIError` on a broken `%` escape, which callers turn into a typed error.
 */
export function formDecode(text: string): FormPair[] {
  const pairs: FormPair[] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([decodeComponent(name), decodeComponent(value)]);
  }
  return pairs;
}

function decodeComponent(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}
