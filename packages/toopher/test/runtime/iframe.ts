// Toopher's iframe URLs and postbacks on every runtime, with the spec §7 vectors (HMAC-SHA1).
import { postbackSignature } from '@authbridge/toopher';
import { equal, ok, rejectsWithCode, test } from 'authbridge-runtime-test';
import { vectorIframe as iframe, P1, P1_SIG } from '../../src/postback-p1.fixture.js';

const signatureOf = (url: string) => new URL(url).searchParams.get('oauth_signature');
const postback = (pairs: [string, string][], sig: string) =>
  new URLSearchParams([...pairs, ['toopher_sig', sig]]).toString();

test('toopher: iframe URLs carry the U1, A1 and A2 signatures', () => {
  const api = iframe();
  equal(signatureOf(api.getUserManagementUrl('jdoe')), 'SA7CAUj+5QcGO+MmdPv9ubbaozk=', 'U1');
  equal(signatureOf(api.getAuthenticationUrl('jdoe')), 'NkaWUjEPRLwgsQMEJGsIQEpyRT4=', 'A1');
  const a2 = api.getAuthenticationUrl('jdoe', {
    resetEmail: 'jdoe@example.com',
    requestToken: 's9s7vsb',
    actionName: 'it is a test',
    requesterMetadata: 'metadata',
  });
  equal(signatureOf(a2), '2TydgMnUwWoiwfpljKpSaFg0Luo=', 'A2');
});

test('toopher: the P1 postback signature, and P1 processed into a granted request', () => {
  equal(postbackSignature(new Map(P1), 'hijklmnop'), P1_SIG, 'toopher_sig of P1');
  const result = iframe().processPostback(postback(P1, P1_SIG), { requestToken: 's9s7vsb' });
  ok(result.resourceType === 'authentication_request', 'an authentication request');
  if (result.resourceType === 'authentication_request')
    equal(result.authenticationRequest.granted, true, 'granted');
});

test('toopher: a wrong signature, an expired postback and another session are refused', async () => {
  const options = { requestToken: 's9s7vsb' };
  await rejectsWithCode(
    () => iframe().processPostback(postback(P1, 'invalid'), options),
    'ERR_CREDENTIAL_SIGNATURE',
  );
  await rejectsWithCode(
    () => iframe(2000).processPostback(postback(P1, P1_SIG), options),
    'ERR_CREDENTIAL_EXPIRED',
  );
  await rejectsWithCode(
    () => iframe().processPostback(postback(P1, P1_SIG), { requestToken: 'another' }),
    'ERR_CREDENTIAL_AUDIENCE',
  );
});
