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
/** The `user:password@` of a URL written in text, such as an error that repeats the URL it refused. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

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
  const jsonField = new RegExp(`("(?:${fieldNames})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
  const formField = new RegExp(`(?<![\\w-])((?:${fieldNames})=)("?)[^&\\s,;"<]*\\2`, 'gi');
  // Case-sensitive, and only credential-shaped words (8+ characters, not all letters): "The DID token has
  // expired" and "Key rotation" are prose, not secrets.
  const schemes =
    /\b(Bearer|Basic|Key|OAuth)\s+(?:[a-z_]+="[^"]*"(?:\s*,\s*[a-z_]+="[^"]*")*|(?=[A-Za-z]*[0-9._~+/=:-])[A-Za-z0-9._~+/=:-]{8,})/g;

  const text = (input: string): string => {
    let out = valuePattern ? input.replace(valuePattern, REDACTED) : input;
    out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
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
