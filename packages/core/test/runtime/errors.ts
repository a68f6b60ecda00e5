// Core's errors on every runtime: the brand survives, codes narrow, statuses and docs paths hold,
// and the Web Crypto helpers give the same bytes everywhere.
import {
  AuthBridgeError,
  createChallengeStore,
  ERROR_CODES,
  errorDocsPath,
  httpStatusForCode,
  InvalidCredentialError,
  isAuthBridgeError,
  parseAuthorizationHeader,
  sha256Hex,
  timingSafeEqual,
} from '@authbridge/core';
import { equal, ok, rejectsWithCode, test } from 'authbridge-runtime-test';

test('core: an AuthBridgeError carries its code, status class and docs path', () => {
  const error = new InvalidCredentialError('ERR_CREDENTIAL_EXPIRED', 'The token expired.', {
    provider: 'magic',
  });
  ok(error instanceof AuthBridgeError && error instanceof Error, 'the class chain holds');
  ok(isAuthBridgeError(error, 'ERR_CREDENTIAL_EXPIRED'), 'isAuthBridgeError narrows on the code');
  ok(!isAuthBridgeError(new Error('plain')), 'a plain Error is not one');
  equal(error.provider, 'magic', 'provider');
  equal(error.docsPath, errorDocsPath('ERR_CREDENTIAL_EXPIRED'), 'docsPath');
  equal(httpStatusForCode('ERR_CREDENTIAL_EXPIRED'), 401, 'status');
  equal(error.toJSON().code, 'ERR_CREDENTIAL_EXPIRED', 'toJSON code');
});

test('core: every code has an HTTP status and a docs anchor', () => {
  for (const code of ERROR_CODES) {
    const status = httpStatusForCode(code);
    ok(status >= 400 && status < 600, `${code} has status ${status}`);
    ok(errorDocsPath(code).endsWith(`#${code.toLowerCase()}`), `${code} has an anchor`);
  }
});

test('core: the Authorization header parser refuses what is not a Bearer token', async () => {
  equal(parseAuthorizationHeader('Bearer abc.def'), 'abc.def', 'bearer token');
  await rejectsWithCode(
    () => parseAuthorizationHeader(undefined as unknown as string),
    'ERR_AUTH_HEADER_MISSING',
  );
  await rejectsWithCode(() => parseAuthorizationHeader('Basic abc'), 'ERR_AUTH_HEADER_MALFORMED');
});

test('core: SHA-256 through Web Crypto and the timing-safe compare', async () => {
  equal(
    await sha256Hex('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    'sha256("abc")',
  );
  ok(timingSafeEqual('same', 'same'), 'equal strings compare equal');
  ok(!timingSafeEqual('same', 'diff'), 'different strings do not');
});

test('core: a challenge is consumed once, and an unknown id is refused', async () => {
  const challenges = createChallengeStore<{ nonce: string }>({ provider: 'core' });
  const { id } = await challenges.issue({ nonce: 'n-1' });
  equal(await challenges.consume(id), { nonce: 'n-1' }, 'first consume');
  await rejectsWithCode(() => challenges.consume(id), 'ERR_CREDENTIAL_CHALLENGE');
  await rejectsWithCode(() => challenges.consume('not an id'), 'ERR_CREDENTIAL_MALFORMED');
});
