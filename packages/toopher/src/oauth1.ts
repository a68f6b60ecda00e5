/**
 * Two-legged OAuth 1.0a (HMAC-SHA1) signing through the `oauth-1.0a` package, fed so that it signs
 * exactly what Toopher's server verifies: the base string URI normalised as RFC 5849 §3.4.1.2 says,
 * and every parameter form-decoded.
 */

import { bytesToHex, ConfigurationError, InvalidArgumentError } from '@authbridge/core';
import OAuth from 'oauth-1.0a';
import { type FormPair, formDecode } from './form.js';
import { hmacSha1Base64, keyedHmacSha1Base64 } from './hmac-sha1.js';

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
  /** Nonce source. Default: 32 random hex digits from `crypto.getRandomValues`. */
  nonce?: () => string;
}

/** Signs requests for one consumer. */
export interface OAuth1Signer {
  /**
   * The OAuth parameters for `method url` with the given (decoded) request parameters. The URL's
   * own query parameters are form-decoded and signed with them.
   */
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
function addData(data: Record<string, string | string[]>, params: readonly FormPair[]): void {
  for (const [name, value] of params) {
    const existing = data[name];
    if (existing === undefined) data[name] = value;
    else data[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
}

const invalid = (what: string) =>
  new InvalidArgumentError(`Toopher OAuth signing: ${what}.`, { provider: 'toopher' });

/**
 * An http(s) URL already in base string form: lower-case scheme and host, no default port, no
 * user info, a path, no query or fragment. Such URLs (every URL the API client builds) skip parsing.
 */
const NORMAL_URL = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const DEFAULT_PORT = /^(?:http:\/\/[^/]*:80|https:\/\/[^/]*:443)\//;

/**
 * The base string URI (RFC 5849 §3.4.1.2: scheme and host in lower case, the port only when it is
 * not the scheme's default, the path, no query) and the URL's query, still encoded.
 */
function splitUrl(url: string): { base: string; query: string } {
  if (NORMAL_URL.test(url) && !DEFAULT_PORT.test(url)) return { base: url, query: '' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('the URL is not valid');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('the URL must be http(s)');
  // WHATWG parsing has already lower-cased the scheme and host and dropped a default port.
  return { base: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, query: parsed.search.slice(1) };
}

/**
 * Creates a signer.
 *
 * `oauth-1.0a` takes the URL as given: it neither lower-cases the host nor drops a default port, and
 * it decodes a query with `decodeURIComponent`, so `+` would stay a `+` (spec §8, pitfall 1). The
 * URL is therefore normalised here (RFC 5849 §3.4.1.2, as Toopher's server does before it checks)
 * and its query form-decoded, and every parameter reaches the package as `data`.
 *
 * Errors: `ERR_CONFIG` for a consumer secret with a lone surrogate; from `sign` and
 * `authorizationHeader`, `ERR_INVALID_ARGUMENT` for a URL that is not http(s), a `%` escape that is not UTF-8, or
 * a lone UTF-16 surrogate in the method, URL or a parameter (none has a UTF-8 spelling to sign).
 *
 * @example
 * ```ts
 * const signer = createOAuth1Signer({ consumerKey, consumerSecret });
 * const header = signer.authorizationHeader('POST', 'https://api.toopher.com/v1/users/create', 'name=jdoe');
 * ```
 */
export function createOAuth1Signer(options: OAuth1SignerOptions): OAuth1Signer {
  let signingKey: string;
  try {
    signingKey = `${OAuth.prototype.percentEncode(options.consumerSecret)}&`;
  } catch {
    // Never the secret itself in the message.
    throw new ConfigurationError(
      'The Toopher consumerSecret holds a lone surrogate: it has no UTF-8 spelling.',
      {
        provider: 'toopher',
      },
    );
  }
  const keyed = keyedHmacSha1Base64(signingKey);
  const oauth = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: 'HMAC-SHA1',
    // The package passes (baseString, key); the key is always this consumer's.
    hash_function: (baseString, key) =>
      key === signingKey ? keyed(baseString) : hmacSha1Base64(key, baseString),
  });
  const now = options.now ?? Date.now;
  // The package's own nonce uses Math.random; a nonce should not be predictable.
  oauth.getNonce = options.nonce ?? randomNonce;
  oauth.getTimeStamp = () => Math.floor(now() / 1000);

  function authorize(method: string, url: string, params: readonly FormPair[], body?: string) {
    try {
      const { base, query } = splitUrl(url);
      const data: Record<string, string | string[]> = {};
      if (query !== '') addData(data, formDecode(query));
      addData(data, params);
      if (body) addData(data, formDecode(body));
      return oauth.authorize({ method: method.toUpperCase(), url: base, data });
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw error;
      // encodeURIComponent and decodeURIComponent refuse lone surrogates and broken escapes.
      if (error instanceof URIError)
        throw invalid('a parameter or the URL holds a lone surrogate or a broken % escape');
      throw error;
    }
  }

  return {
    sign(method, url, params) {
      const authorized = authorize(method, url, params);
      return {
        oauth_consumer_key: authorized.oauth_consumer_key,
        oauth_nonce: authorized.oauth_nonce,
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: String(authorized.oauth_timestamp),
        oauth_version: '1.0',
        oauth_signature: authorized.oauth_signature,
      };
    },
    authorizationHeader(method, url, formBody) {
      return oauth.toHeader(authorize(method, url, [], formBody)).Authorization;
    },
  };
}
