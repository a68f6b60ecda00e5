/**
 * Two-legged OAuth 1.0a (HMAC-SHA1) signing through the `oauth-1.0a` package, fed so that it signs
 * exactly what Toopher's server verifies.
 */

import { bytesToHex } from '@authbridge/core';
import OAuth from 'oauth-1.0a';
import { type FormPair, formDecode } from './form.js';
import { hmacSha1Base64 } from './hmac-sha1.js';

/** The `oauth_*` parameters of one signed request, `oauth_signature` included. */
export interface OAuth1Parameters {
  oauth_consumer_key: string;
  oauth_nonce: string;
  oauth_signature_method: 'HMAC-SHA1';
  oauth_timestamp: string;
  oauth_version: '1.0';
  oauth_signature: string;
}

/** What the signer needs; `now` and `nonce` are injectable so signatures can be reproduced. */
export interface OAuth1SignerOptions {
  consumerKey: string;
  consumerSecret: string;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Nonce source. Default: 32 random alphanumerics from `crypto.getRandomValues`. */
  nonce?: () => string;
}

/** Signs requests for one consumer. */
export interface OAuth1Signer {
  /** The OAuth parameters for `method url` with the given (decoded) request parameters. */
  sign(method: string, url: string, params: readonly FormPair[]): OAuth1Parameters;
  /** The `Authorization` header for a request with an optional form-encoded body. */
  authorizationHeader(method: string, url: string, formBody: string | undefined): string;
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return bytesToHex(bytes);
}

/** Groups pairs by name so a repeated name keeps every value (the package accepts arrays). */
function toData(params: readonly FormPair[]): Record<string, string | string[]> {
  const data: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const existing = data[name];
    if (existing === undefined) data[name] = value;
    else data[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return data;
}

/**
 * Creates a signer.
 *
 * `oauth-1.0a` decodes a URL's query with `decodeURIComponent`, so `+` would stay a `+` and the
 * signature would not match the server's (spec §8, pitfall 1). The query is therefore split off and
 * form-decoded here, and every parameter reaches the package as `data`.
 *
 * @example
 * ```ts
 * const signer = createOAuth1Signer({ consumerKey, consumerSecret });
 * const header = signer.authorizationHeader('POST', 'https://api.toopher.com/v1/users/create', 'name=jdoe');
 * ```
 */
export function createOAuth1Signer(options: OAuth1SignerOptions): OAuth1Signer {
  const oauth = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: 'HMAC-SHA1',
    // The package passes (baseString, key); ours takes the key first.
    hash_function: (baseString, key) => hmacSha1Base64(key, baseString),
  });
  const now = options.now ?? Date.now;
  // The package's own nonce uses Math.random; a nonce should not be predictable.
  oauth.getNonce = options.nonce ?? randomNonce;
  oauth.getTimeStamp = () => Math.floor(now() / 1000);

  function sign(method: string, url: string, params: readonly FormPair[]): OAuth1Parameters {
    const authorized = oauth.authorize({ method: method.toUpperCase(), url, data: toData(params) });
    return {
      oauth_consumer_key: authorized.oauth_consumer_key,
      oauth_nonce: authorized.oauth_nonce,
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: String(authorized.oauth_timestamp),
      oauth_version: '1.0',
      oauth_signature: authorized.oauth_signature,
    };
  }

  return {
    sign,
    authorizationHeader(method, url, formBody) {
      const parsed = new URL(url);
      const params = [...formDecode(parsed.search.slice(1)), ...(formBody ? formDecode(formBody) : [])];
      parsed.search = '';
      parsed.hash = '';
      const signed = sign(method, parsed.toString(), params);
      return oauth.toHeader({ ...signed, oauth_timestamp: Number(signed.oauth_timestamp) }).Authorization;
    },
  };
}
