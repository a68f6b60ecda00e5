import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { httpStatusForCode } from './http-status.js';

describe('httpStatusForCode', () => {
  it('answers 401 for the user’s credential, 400 for the caller’s input, 5xx for the rest', () => {
    const byStatus = new Map<number, string[]>();
    for (const code of ERROR_CODES) {
      const status = httpStatusForCode(code);
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    expect(Object.fromEntries(byStatus)).toEqual({
      401: [
        'ERR_AUTH_HEADER_MISSING',
        'ERR_AUTH_HEADER_MALFORMED',
        'ERR_CREDENTIAL_MALFORMED',
        'ERR_CREDENTIAL_SIGNATURE',
        'ERR_CREDENTIAL_EXPIRED',
        'ERR_CREDENTIAL_NOT_YET_VALID',
        'ERR_CREDENTIAL_AUDIENCE',
        'ERR_CREDENTIAL_REPLAYED',
        'ERR_CREDENTIAL_REJECTED',
      ],
      400: ['ERR_INVALID_ARGUMENT'],
      500: ['ERR_CONFIG'],
      502: [
        'ERR_PROVIDER_BAD_REQUEST',
        'ERR_PROVIDER_UNAUTHORIZED',
        'ERR_PROVIDER_FORBIDDEN',
        'ERR_PROVIDER_NOT_FOUND',
        'ERR_PROVIDER_CONFLICT',
        'ERR_PROVIDER_SERVER',
        'ERR_PROVIDER_REQUEST',
        'ERR_NETWORK',
        'ERR_UNEXPECTED_RESPONSE',
      ],
      503: ['ERR_PROVIDER_RATE_LIMITED', 'ERR_ABORTED', 'ERR_STORE'],
      504: ['ERR_TIMEOUT'],
    });
  });
});
