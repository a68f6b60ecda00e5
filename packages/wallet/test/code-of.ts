import { isAuthBridgeError } from '@authbridge/core';
import { expect } from 'vitest';

/** The code of the authbridge error `promise` rejects with, or undefined when it resolves. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(isAuthBridgeError(error), String(error)).toBe(true);
    return (error as { code: string }).code;
  }
}
