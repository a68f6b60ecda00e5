/**
 * Checking a configured secret once, when a provider is built, so that a key that could defeat
 * redaction (a trailing newline, a control character) never reaches a header or an error.
 */
import { ConfigurationError } from './errors.js';
import { rememberSecret } from './redact.js';

/** The longest secret accepted, in characters. Real API keys and consumer secrets are far shorter. */
export const SECRET_MAX_LENGTH = 1024;

/** Options of {@link checkSecret}. */
export interface CheckSecretOptions {
  /** The provider id the error carries. */
  provider: string;
  /** The option's name, for the message: `'secretKey'`, `'consumerSecret'`. */
  name: string;
  /** The provider's own code for a missing key, when it has one. */
  providerCode?: string;
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Returns `value` when it is a usable secret: a string of 1 to {@link SECRET_MAX_LENGTH} printable
 * ASCII characters (no space, tab, CR, LF, NUL or other control character, nothing outside ASCII),
 * and remembers it so every later error hides it (`rememberSecret`). The value never appears in the
 * error.
 *
 * Throws `ERR_CONFIG` otherwise.
 *
 * @example
 * ```ts
 * const secretKey = checkSecret(options.secretKey, { provider: 'magic', name: 'secretKey' });
 * ```
 */
export function checkSecret(value: unknown, options: CheckSecretOptions): string {
  const { provider, name, providerCode } = options;
  const fail = (why: string): never => {
    throw new ConfigurationError(`${provider}: ${name} ${why}`, { provider, providerCode });
  };
  if (typeof value !== 'string' || value === '') return fail('is required.');
  if (value.length > SECRET_MAX_LENGTH) return fail(`is longer than ${SECRET_MAX_LENGTH} characters.`);
  if (!PRINTABLE_ASCII.test(value)) {
    return fail(
      'must be printable ASCII with no spaces or control characters (check for a trailing newline from the file or variable it was read from).',
    );
  }
  rememberSecret(value);
  return value;
}
