import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Options of {@link runCredentialParserSuite}: credentials the parser must pass through, and inputs it must refuse. */
export interface CredentialParserSuiteOptions {
  accepted: readonly unknown[];
  refused: readonly unknown[];
}

/**
 * The tests every provider's `parseCredential` passes: it returns well-formed credentials unchanged,
 * refuses the given malformed ones with `ERR_CREDENTIAL_MALFORMED`, and throws nothing else for any
 * input fast-check makes (a few hundred runs).
 */
export function runCredentialParserSuite(
  name: string,
  parse: (input: unknown) => unknown,
  options: CredentialParserSuiteOptions,
): void {
  const refusal = (input: unknown): unknown => {
    try {
      parse(input);
    } catch (error) {
      return error;
    }
    return undefined;
  };
  describe(name, () => {
    it('passes a well-formed credential through', () => {
      for (const credential of options.accepted) expect(parse(credential)).toEqual(credential);
    });

    it('refuses malformed credentials with ERR_CREDENTIAL_MALFORMED', () => {
      for (const input of options.refused) {
        expect(isAuthBridgeError(refusal(input), 'ERR_CREDENTIAL_MALFORMED'), JSON.stringify(input)).toBe(
          true,
        );
      }
    });

    it('throws nothing but ERR_CREDENTIAL_MALFORMED, whatever the input', () => {
      fc.assert(
        fc.property(fc.anything(), (input) => {
          const error = refusal(input);
          expect(error === undefined || isAuthBridgeError(error, 'ERR_CREDENTIAL_MALFORMED')).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });
}
