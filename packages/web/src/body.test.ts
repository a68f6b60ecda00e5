import { isAuthBridgeError } from '@authbridge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthExceeds, readJsonBody } from './body.js';

const post = (body: BodyInit, type = 'application/json', headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/auth/x/verify', {
    method: 'POST',
    headers: { 'content-type': type, ...headers },
    body,
  });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isAuthBridgeError(error) ? error.code : 'NOT_AN_AUTHBRIDGE_ERROR';
  }
  return undefined;
}

describe('readJsonBody', () => {
  it('reads a JSON object, with a charset in the content type, and an empty body as {}', async () => {
    expect(await readJsonBody(post('{"credential":"x"}', 'application/json; charset=utf-8'))).toEqual({
      credential: 'x',
    });
    expect(await readJsonBody(post(''))).toEqual({});
  });

  it('refuses other content types, large, non-JSON, non-object, non-UTF-8 and deep bodies with their codes', async () => {
    expect(await codeOf(readJsonBody(post('{}', 'text/plain')))).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf(readJsonBody(post('{}', 'application/jsonx')))).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf(readJsonBody(post(`"${'x'.repeat(100)}"`), { maxBytes: 50 }))).toBe(
      'ERR_PAYLOAD_TOO_LARGE',
    );
    expect(
      await codeOf(
        readJsonBody(post('{}', 'application/json', { 'content-length': '999999' }), { maxBytes: 50 }),
      ),
    ).toBe('ERR_PAYLOAD_TOO_LARGE');
    expect(await codeOf(readJsonBody(post('{"a":')))).toBe('ERR_REQUEST_MALFORMED');
    expect(await codeOf(readJsonBody(post('[1]')))).toBe('ERR_REQUEST_MALFORMED');
    expect(await codeOf(readJsonBody(post(new Uint8Array([0x7b, 0xff, 0x7d]))))).toBe(
      'ERR_REQUEST_MALFORMED',
    );
    expect(await codeOf(readJsonBody(post('{"a":{"b":{"c":1}}}'), { maxDepth: 2 }))).toBe(
      'ERR_REQUEST_MALFORMED',
    );
    expect(await readJsonBody(post('{"a":{"b":1}}'), { maxDepth: 2 })).toEqual({ a: { b: 1 } });
  });

  it('only ever throws AuthBridgeErrors, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (text) => {
        const code = await codeOf(readJsonBody(post(text)));
        expect(code === undefined || code.startsWith('ERR_')).toBe(true);
        expect(code).not.toBe('NOT_AN_AUTHBRIDGE_ERROR');
      }),
      { numRuns: 300 },
    );
  });
});

describe('depthExceeds', () => {
  it('measures nesting without recursion, so a million levels cannot overflow the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(depthExceeds(deep, 8)).toBe(true);
    expect(depthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(depthExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});
