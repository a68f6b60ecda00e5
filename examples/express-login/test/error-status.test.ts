import { ERROR_CODES } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import { statusForCode as honoStatus } from '../../hono/src/error-status.js';
import { statusForCode as nextStatus } from '../../nextjs-route/lib/error-status.js';
import { statusForCode } from '../src/http-errors.js';

// The snippets keep their own short mapping so each can be copied alone; this keeps all three the same.
describe('error statuses across the examples', () => {
  it.each(ERROR_CODES)(
    '%s gets the same status from the Express app, the Hono and the Next.js snippets',
    (code) => {
      const status = statusForCode(code);
      expect(honoStatus(code)).toBe(status);
      expect(nextStatus(code)).toBe(status);
    },
  );

  it('answers a store failure with 503, as docs/scaling.md says', () => {
    expect([statusForCode('ERR_STORE'), honoStatus('ERR_STORE'), nextStatus('ERR_STORE')]).toEqual([
      503, 503, 503,
    ]);
  });
});
