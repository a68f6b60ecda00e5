/**
 * Server-side OAuth 1.0a (HMAC-SHA1, two-legged) verification and the postback signature, written
 * from RFC 5849 and the Toopher spec with node:crypto, independently of the client package.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Decoded request parameters in wire order; names may repeat. */
export type Params = [string, string][];

/** RFC 3986 percent-encoding of UTF-8 bytes: only `A-Z a-z 0-9 - . _ ~` stay as they are. */
export function rfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Python 2 `quote_plus`: only `A-Z a-z 0-9 _ . -` stay; a space becomes `+`. */
export function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === ' ') out += '+';
    else out += /[A-Za-z0-9\-._]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `application/x-www-form-urlencoded` decoding (`+` is a space); `undefined` when an escape is broken. */
export function parseForm(text: string): Params | undefined {
  const params: Params = [];
  try {
    for (const part of text.split('&')) {
      if (!part) continue;
      const [name = '', ...rest] = part.split('=');
      params.push([
        decodeURIComponent(name.replace(/\+/g, ' ')),
        decodeURIComponent(rest.join('=').replace(/\+/g, ' ')),
      ]);
    }
  } catch {
    return undefined;
  }
  return params;
}

/** The `oauth_*` parameters of an `Authorization: OAuth ...` header, `realm` dropped. */
export function parseAuthorizationHeader(header: string | undefined): Params | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Params = [];
  const re = /([A-Za-z0-9_]+)\s*=\s*"([^"]*)"/g;
  for (let match = re.exec(header); match; match = re.exec(header)) {
    const [, name = '', value = ''] = match;
    if (name === 'realm') continue;
    try {
      params.push([decodeURIComponent(name), decodeURIComponent(value)]);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** The RFC 5849 §3.4.1 signature base string. */
export function baseString(method: string, url: URL, params: Params): string {
  const baseUrl = `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
  const normalized = params
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([an, av], [bn, bv]) => (an === bn ? (av < bv ? -1 : av > bv ? 1 : 0) : an < bn ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return [method.toUpperCase(), rfc3986(baseUrl), rfc3986(normalized)].join('&');
}

function hmacSha1(key: string, text: string): Buffer {
  return createHmac('sha1', Buffer.from(key, 'utf8')).update(text, 'utf8').digest();
}

function sameBase64(expected: Buffer, submitted: string): boolean {
  const given = Buffer.from(submitted, 'base64');
  return (
    given.length === expected.length &&
    timingSafeEqual(given, expected) &&
    given.toString('base64') === submitted
  );
}

/** Why a request failed verification, or `undefined` when it is correctly signed by `consumerKey`. */
export function verifyOAuth(
  method: string,
  url: URL,
  params: Params,
  consumer: { key: string; secret: string },
): string | undefined {
  const get = (name: string) => params.find(([n]) => n === name)?.[1];
  if (get('oauth_consumer_key') !== consumer.key) return 'unknown consumer key';
  if (get('oauth_signature_method') !== 'HMAC-SHA1') return 'unsupported signature method';
  const version = get('oauth_version');
  if (version !== undefined && version !== '1.0') return 'unsupported OAuth version';
  if (!get('oauth_nonce') || !/^\d+$/.test(get('oauth_timestamp') ?? '')) return 'missing nonce or timestamp';
  const signature = get('oauth_signature');
  if (!signature) return 'missing signature';
  const expected = hmacSha1(`${rfc3986(consumer.secret)}&`, baseString(method, url, params));
  return sameBase64(expected, signature) ? undefined : 'signature mismatch';
}

/** `toopher_sig`: HMAC-SHA1 under the raw secret over the fields sorted by name, `quote_plus` encoded. */
export function postbackSignature(fields: Record<string, string>, secret: string): string {
  const text = Object.keys(fields)
    .filter((name) => name !== 'toopher_sig')
    .sort()
    .map((name) => `${quotePlus(name)}=${quotePlus(fields[name] ?? '')}`)
    .join('&');
  return hmacSha1(secret, text).toString('base64');
}

/** The postback form value: the signed fields, `quote_plus` encoded, in the given order. */
export function encodePostback(fields: Record<string, string>, secret: string): string {
  const signed = { ...fields, toopher_sig: postbackSignature(fields, secret) };
  return Object.entries(signed)
    .map(([name, value]) => `${quotePlus(name)}=${quotePlus(value)}`)
    .join('&');
}

/** Options of {@link createNonceGuard}. */
export interface NonceGuardOptions {
  /** How far `oauth_timestamp` may be from the emulator clock, either way, in ms. Default 5 minutes. */
  windowMs?: number;
  /** How many nonces are remembered at most. Default 10,000. */
  maxNonces?: number;
}

/** RFC 5849 §3.3: a timestamp near the server clock, and a nonce used once per timestamp. */
export interface NonceGuard {
  /** Why the signed request must be refused, or `undefined`; records its nonce when it is accepted. */
  check(params: Params, nowMs: number): string | undefined;
  /** How many nonces are remembered now. */
  readonly size: number;
  clear(): void;
}

/**
 * Remembers each accepted nonce until its timestamp leaves the window, so a captured request cannot be
 * sent again. Memory is bounded: when full, expired nonces go first, then the oldest remembered ones
 * (a flood of more than `maxNonces` requests in one window can make the oldest replayable).
 */
export function createNonceGuard(options: NonceGuardOptions = {}): NonceGuard {
  const windowMs = options.windowMs ?? 5 * 60_000;
  const maxNonces = options.maxNonces ?? 10_000;
  const seen = new Map<string, number>();
  const makeRoom = (nowMs: number) => {
    for (const [key, expiresAt] of seen) if (expiresAt <= nowMs) seen.delete(key);
    for (const key of seen.keys()) {
      if (seen.size < maxNonces) break;
      seen.delete(key);
    }
  };
  return {
    check(params, nowMs) {
      const get = (name: string) => params.find(([n]) => n === name)?.[1] ?? '';
      const timestampMs = Number(get('oauth_timestamp')) * 1000;
      if (!Number.isSafeInteger(timestampMs) || Math.abs(nowMs - timestampMs) > windowMs) {
        return 'timestamp outside the allowed window';
      }
      const key = `${get('oauth_consumer_key')}\n${get('oauth_timestamp')}\n${get('oauth_nonce')}`;
      const expiresAt = seen.get(key);
      if (expiresAt !== undefined && expiresAt > nowMs) return 'nonce already used';
      if (seen.size >= maxNonces) makeRoom(nowMs);
      seen.set(key, timestampMs + windowMs);
      return undefined;
    },
    get size() {
      return seen.size;
    },
    clear: () => seen.clear(),
  };
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits) at `atMs`. */
export function totp(secret: Buffer, atMs: number, stepOffset = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(totpStep(atMs) + stepOffset));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** The RFC 6238 time step (T0 = 0, X = 30 s) at `atMs`. */
export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / 30);
}

/**
 * The time step whose TOTP `otp` is, one step of clock drift allowed either way, or `undefined`.
 * Callers refuse a step at or before the last one accepted (RFC 6238 §5.2: one use per OTP).
 */
export function matchTotp(secret: Buffer, atMs: number, otp: string): number | undefined {
  const given = Buffer.from(otp);
  for (const drift of [-1, 0, 1]) {
    const expected = Buffer.from(totp(secret, atMs, drift));
    if (given.length === expected.length && timingSafeEqual(given, expected)) return totpStep(atMs) + drift;
  }
  return undefined;
}
