/**
 * `credentialParser`: a provider's `parseCredential` from the valibot schema of its credential.
 */
import * as v from 'valibot';
import { InvalidCredentialError } from './errors.js';

/** Options of {@link credentialParser}. */
export interface CredentialParserOptions {
  /** The provider id errors carry. */
  provider: string;
  /** What the error says a credential is: it names the shape, never the input. */
  message: string;
}

/**
 * A function that checks untrusted input against `schema` and returns the parsed credential, or
 * throws `ERR_CREDENTIAL_MALFORMED` with `message` (the input itself is never echoed: it may be a token).
 * Schemas are expected to cap every string and list, so parsing stays linear in the input.
 *
 * @example
 * ```ts
 * const parseCredential = credentialParser(v.pipe(v.string(), v.maxLength(4096)), {
 *   provider: 'pi',
 *   message: 'A Pi credential is the access token as a string.',
 * });
 * ```
 */
export function credentialParser<Schema extends v.GenericSchema>(
  schema: Schema,
  options: CredentialParserOptions,
): (input: unknown) => v.InferOutput<Schema> {
  return (input) => {
    const parsed = v.safeParse(schema, input);
    if (!parsed.success) {
      throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', options.message, {
        provider: options.provider,
      });
    }
    return parsed.output;
  };
}
