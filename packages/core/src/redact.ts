/**
 * Redaction of secrets from URLs, headers and bodies, applied to every error message, event and excerpt.
 */

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Headers whose values are always secret. Adapters add their own (`X-Magic-Secret-Key`). */
export const DEFAULT_SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
];

/** Query parameters and JSON fields whose values are always secret. */
export const DEFAULT_SECRET_FIELDS: readonly string[] = [
  'access_token',
  'accesstoken',
  'api_key',
  'apikey',
  'client_secret',
  'did_token',
  'didtoken',
  'key',
  'oauth_signature',
  'oauth_token',
  'password',
  'refresh_token',
  'secret',
  'secret_key',
  'session_token',
  'signature',
  'token',
  'toopher_sig',
];

/** What a redactor knows: the fields and exact values it must hide. */
export interface Redactor {
  /** The URL without credentials and with secret query values hidden. */
  url(url: string | URL): string;
  /** The headers with secret values hidden. */
  headers(headers: Headers | Record<string, string>): Record<string, string>;
  /** The text with every known secret value, and every secret JSON field or form value, hidden. */
  text(text: string): string;
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Extra header names to hide (case-insensitive). */
  secretHeaders?: readonly string[];
  /** Extra query parameter / JSON field names to hide (case-insensitive). */
  secretFields?: readonly string[];
  /** Exact secret values (API keys, consumer secrets) to hide wherever they appear. */
  secretValues?: readonly (string | undefined)[];
}

const MIN_SECRET_LENGTH = 6;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds a redactor. Secret values shorter than 6 characters are ignored, since hiding them would
 * garble ordinary text without protecting anything.
 *
 * @example
 * ```ts
 * const redact = createRedactor({ secretHeaders: ['x-magic-secret-key'], secretValues: [secretKey] });
 * redact.url('https://api.example/v1?token=abc'); // 'https://api.example/v1?token=[REDACTED]'
 * ```
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secretHeaders = new Set(
    [...DEFAULT_SECRET_HEADERS, ...(options.secretHeaders ?? [])].map((h) => h.toLowerCase()),
  );
  const secretFields = new Set(
    [...DEFAULT_SECRET_FIELDS, ...(options.secretFields ?? [])].map((f) => f.toLowerCase()),
  );
  const values = (options.secretValues ?? [])
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  const valuePattern = values.length > 0 ? new RegExp(values.map(escapeRegExp).join('|'), 'g') : undefined;
  const fieldNames = [...secretFields].map(escapeRegExp).join('|');
  // "field": "value" in JSON, and field=value in forms, query strings and OAuth headers.
  // An unterminated value runs to the end of the text, so a failed match never rescans it (linear).
  const jsonField = new RegExp(`("(?:${fieldNames})"\\s*:\\s*)"(?:[^"\\\\]|\\\\[\\s\\S]?)*(?:"|$)`, 'gi');
  const formField = new RegExp(`(?<![\\w-])((?:${fieldNames})=)("?)[^&\\s,;"<]*\\2`, 'gi');
  // Case-sensitive, and only credential-shaped words (8+ characters, not all letters): "The DID token has
  // expired" and "Key rotation" are prose, not secrets.
  const schemes =
    /\b(Bearer|Basic|Key|OAuth)\s+(?:[a-z_]+="[^"]*"(?:\s*,\s*[a-z_]+="[^"]*")*|(?=[A-Za-z]*[0-9._~+/=:-])[A-Za-z0-9._~+/=:-]{8,})/g;

  const text = (input: string): string => {
    let out = valuePattern ? input.replace(valuePattern, REDACTED) : input;
    out = stripUrlUserinfo(out);
    out = out.replace(jsonField, `$1"${REDACTED}"`);
    out = out.replace(formField, `$1$2${REDACTED}$2`);
    return out.replace(schemes, `$1 ${REDACTED}`);
  };

  return {
    url(url) {
      let parsed: URL;
      try {
        parsed = new URL(String(url));
      } catch {
        return text(String(url));
      }
      parsed.username = '';
      parsed.password = '';
      for (const name of [...parsed.searchParams.keys()]) {
        if (secretFields.has(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
      }
      // URLSearchParams percent-encodes the brackets; keep the marker readable.
      return text(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
    },
    headers(headers) {
      const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
      const out: Record<string, string> = {};
      for (const [name, value] of entries) {
        out[name.toLowerCase()] = secretHeaders.has(name.toLowerCase()) ? REDACTED : text(value);
      }
      return out;
    },
    text,
  };
}

/**
 * How far past an excerpt's end the text is kept for redaction: a secret that starts inside the
 * excerpt is whole in the window (secret values and credentials are far shorter), so it is found.
 */
const EXCERPT_WINDOW = 4096;

/**
 * At most `max` characters of `text`, redacted, with a marker when cut. Only a window of the text is
 * redacted (an excerpt of a 1 MiB body costs what one of a short body costs); the window is closed
 * with a quote, so a JSON secret field cut at its edge still matches and is hidden.
 */
export function excerpt(redactor: Redactor, text: string, max = 200): string {
  const windowed = text.length > max + EXCERPT_WINDOW;
  const clean = redactor.text(windowed ? `${text.slice(0, max + EXCERPT_WINDOW)}"` : text);
  if (!windowed && clean.length <= max) return clean;
  const more = windowed ? text.length - max : clean.length - max;
  return `${clean.slice(0, max)}… (${more} more characters)`;
}

const SCHEME_CHAR = /^[A-Za-z0-9+.-]$/;
const LETTER = /^[A-Za-z]$/;
const WHITESPACE = /^\s$/;

/**
 * The start of the scheme that ends at `colon` (the `:` of a `://`), or -1 when there is none. The
 * walk back stops at the first character that cannot be in a scheme, which at the latest is the `/`
 * of the previous `://`, so over a whole text each character is walked once.
 */
function schemeStart(text: string, colon: number): number {
  let start = colon;
  while (start > 0 && SCHEME_CHAR.test(text[start - 1] as string)) start--;
  while (start < colon && !LETTER.test(text[start] as string)) start++;
  return start < colon ? start : -1;
}

/**
 * Calls `visit(schemeStart, authorityStart)` for every `scheme://` in `text`, left to right; `visit`
 * returns how far it consumed the text (where the next search starts), or -1 when it took nothing.
 */
function eachUrl(text: string, visit: (start: number, authority: number) => number): void {
  let from = 0;
  for (;;) {
    const colon = text.indexOf('://', from);
    if (colon === -1) return;
    const start = schemeStart(text, colon);
    const consumed = start === -1 ? -1 : visit(start, colon + 3);
    from = consumed === -1 ? colon + 1 : consumed;
  }
}

/**
 * `text` with the `user:password@` of every URL written in it replaced by `[REDACTED]@`, such as an
 * error that repeats the database URL it could not reach. A hand-written scan, linear in the length
 * of the text whatever it holds (a regex here backtracked quadratically on crafted input).
 *
 * @example
 * ```ts
 * stripUrlUserinfo('connect to postgres://app:hunter2@db/app failed');
 * // 'connect to postgres://[REDACTED]@db/app failed'
 * ```
 */
export function stripUrlUserinfo(text: string): string {
  let out = '';
  let copied = 0;
  eachUrl(text, (_start, authority) => {
    let end = authority;
    while (end < text.length) {
      const ch = text[end] as string;
      if (ch === '@' || ch === '/' || ch === '?' || ch === '#' || WHITESPACE.test(ch)) break;
      end++;
    }
    if (text[end] !== '@' || end === authority) return -1;
    out += `${text.slice(copied, authority)}${REDACTED}`;
    copied = end;
    return end;
  });
  return copied === 0 ? text : out + text.slice(copied);
}

const URL_END = new Set([...'"\'<>()[]{},']);

/**
 * `text` with every URL written in it (from its scheme to the first space, quote, bracket or comma)
 * replaced by `replacement`. Linear in the length of the text.
 *
 * @example
 * ```ts
 * replaceUrls('could not reach https://mainnet.infura.io/v3/KEY (timeout)', '[URL]');
 * // 'could not reach [URL] (timeout)'
 * ```
 */
export function replaceUrls(text: string, replacement: string): string {
  let out = '';
  let copied = 0;
  eachUrl(text, (start, authority) => {
    let end = authority;
    while (end < text.length && !URL_END.has(text[end] as string) && !WHITESPACE.test(text[end] as string))
      end++;
    if (end === authority) return -1;
    out += `${text.slice(copied, Math.max(start, copied))}${replacement}`;
    copied = end;
    return end;
  });
  return copied === 0 ? text : out + text.slice(copied);
}

/** How many secrets {@link rememberSecret} keeps; past it the oldest is forgotten. */
export const REMEMBERED_SECRETS_MAX = 256;
/**
 * The shortest value {@link rememberSecret} keeps. Remembered values are hidden from every error of
 * the process, so a short one (a test key such as `api_key`) would garble unrelated text; real keys
 * are far longer.
 */
const REMEMBERED_MIN_LENGTH = 8;
const remembered = new Set<string>();
let rememberedRedactor: Redactor | undefined;

/**
 * Remembers a configured secret (an API key, a consumer secret) for the life of the process, so that
 * every `AuthBridgeError` built afterwards hides it in its message, `data` and `cause` chain, whoever
 * built the error. Provider factories call it for each secret they are given (through
 * `checkSecret`); values shorter than 8 characters are ignored. At most
 * {@link REMEMBERED_SECRETS_MAX} are kept, the oldest forgotten first.
 *
 * @example
 * ```ts
 * rememberSecret(options.apiKey);
 * ```
 */
export function rememberSecret(value: string): void {
  if (typeof value !== 'string' || value.length < REMEMBERED_MIN_LENGTH || remembered.has(value)) return;
  if (remembered.size >= REMEMBERED_SECRETS_MAX)
    remembered.delete(remembered.values().next().value as string);
  remembered.add(value);
  rememberedRedactor = undefined;
}

function errorRedactor(): Redactor {
  rememberedRedactor ??= createRedactor({ secretValues: [...remembered] });
  return rememberedRedactor;
}

/**
 * `text` with every remembered secret, secret field, credential-like header value and URL userinfo
 * hidden: what an error's message goes through.
 *
 * @example
 * ```ts
 * redactText('postgres://app:hunter2@db failed'); // 'postgres://[REDACTED]@db failed'
 * ```
 */
export function redactText(text: string): string {
  return errorRedactor().text(text);
}

const MAX_REDACT_DEPTH = 8;
const ERROR_BRAND = Symbol.for('authbridge.error');
const SECRET_KEYS = new Set(DEFAULT_SECRET_FIELDS);
const HIDDEN_ERROR_FIELDS = ['message', 'stack', 'cause', 'errors'] as const;

function isPlainKeySecret(key: string, value: unknown): boolean {
  return SECRET_KEYS.has(key.toLowerCase()) && value !== undefined && value !== null && value !== '';
}

/** Redacts own enumerable fields into `target`; whether any changed. */
function redactFields(source: object, target: Record<string, unknown>, depth: number, seen: WeakSet<object>) {
  let changed = false;
  for (const [key, value] of Object.entries(source)) {
    const clean = isPlainKeySecret(key, value) ? REDACTED : walk(value, depth + 1, seen);
    if (clean !== value) changed = true;
    target[key] = clean;
  }
  return changed;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Error {
  const hidden: Partial<Record<(typeof HIDDEN_ERROR_FIELDS)[number], unknown>> = {};
  let changed = false;
  for (const field of HIDDEN_ERROR_FIELDS) {
    if (!Object.hasOwn(error, field)) continue;
    const value: unknown = Reflect.get(error, field);
    const clean = walk(value, depth + 1, seen);
    hidden[field] = clean;
    if (clean !== value) changed = true;
  }
  const fields: Record<string, unknown> = {};
  if (redactFields(error, fields, depth, seen)) changed = true;
  if (!changed) return error;
  // Same prototype, so `instanceof`, `name` and the class survive; the original is left untouched.
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const [field, value] of Object.entries(hidden)) {
    Object.defineProperty(copy, field, { value, writable: true, configurable: true, enumerable: false });
  }
  return Object.assign(copy, fields);
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  // Built redacted already.
  if ((value as Record<symbol, unknown>)[ERROR_BRAND] === true) return value;
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_REDACT_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof URL) return redactText(value.href);
    if (value instanceof Error) return redactError(value, depth, seen);
    if (Array.isArray(value)) {
      const out = value.map((item) => walk(item, depth + 1, seen));
      return out.some((item, i) => item !== value[i]) ? out : value;
    }
    const out: Record<string, unknown> = {};
    return redactFields(value, out, depth, seen) ? out : value;
  } catch {
    return '[Unreadable]';
  }
}

/**
 * A copy of `value` (an error's `cause` or `data`) with every string redacted as by
 * {@link redactText}, secret fields (`password`, `token`, `key`, ...) hidden and errors in it (their
 * message, stack, own fields and `cause`, at any depth up to 8) redacted the same way. What needs no
 * change is returned as it is, so an error without secrets keeps its identity. Every
 * `AuthBridgeError` runs its `cause` and `data` through it.
 *
 * @example
 * ```ts
 * redactUnknown(new Error('redis://:hunter2@cache:6379 refused')).message;
 * // 'redis://[REDACTED]@cache:6379 refused'
 * ```
 */
export function redactUnknown(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}
