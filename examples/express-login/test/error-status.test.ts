import { AuthBridgeError, ERROR_CODES, httpStatusForCode } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../src/http-errors.js';

// The Hono and Next.js snippets answer with core's httpStatusForCode directly; the Express app goes
// through toErrorResponse, which must not change any status on the way.
describe('error statuses of the Express app', () => {
  it.each(ERROR_CODES)('%s gets the status core maps it to', (code) => {
    const { status, body } = toErrorResponse(new AuthBridgeError(code, 'Something failed.'));
    expect(status).toBe(httpStatusForCode(code));
    expect(body.code).toBe(code);
  });

  it('answers a store failure with 503, as docs/scaling.md says', () => {
    expect(toErrorResponse(new AuthBridgeError('ERR_STORE', 'Redis is down.')).status).toBe(503);
  });
});
