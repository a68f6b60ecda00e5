import type { AuthBridgeError } from '@authbridge/core';

/**
 * The error `promise` rejects with; a promise that resolves fails the test instead. Typed as an
 * authbridge error with open extra fields (`retryAfter`, `bodyExcerpt`, ...) for assertions.
 *
 * @example
 * ```ts
 * const error = await rejectionOf(provider.verify('bad'));
 * expect(error.code).toBe('ERR_CREDENTIAL_MALFORMED');
 * ```
 */
export async function rejectionOf<E = AuthBridgeError & Record<string, unknown>>(
  promise: Promise<unknown>,
): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => error as E,
  );
}
