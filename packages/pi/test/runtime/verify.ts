// Pi's verify on every runtime, against a fetch stub that answers as the Platform API's /v2/me does.
import { pi } from '@authbridge/pi';
import { equal, ok, rejectsWithCode, test } from 'authbridge-runtime-test';

const TOKEN = 'pioneer-access-token-0123456789abcdef';
const UID = 'c5b5d3c6-9f3b-4b0e-9d5e-0a1b2c3d4e5f';
// Read inside the test, not at import: workerd's clock reads 0 in a module's global scope.
const validUntil = () => Math.floor(Date.now() / 1000) + 3600;

/** A stand-in for Pi's API: the one token is a Pioneer, anything else is 401. */
const stub: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.pathname !== '/v2/me')
    return Response.json({ error: 'not_found', error_message: 'no route' }, { status: 404 });
  if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) {
    return Response.json({ error: 'unauthorized', error_message: 'invalid token' }, { status: 401 });
  }
  const timestamp = validUntil();
  return Response.json({
    uid: UID,
    username: 'alice',
    credentials: {
      scopes: ['username', 'payments'],
      valid_until: { timestamp, iso8601: new Date(timestamp * 1000).toISOString() },
    },
  });
};

const app = pi({ apiKey: 'pi-server-api-key', baseUrl: 'https://api.pi.test', fetch: stub, retry: false });

test('pi: verify reads the uid, username and expiry from /v2/me', async () => {
  const result = await app.verify(TOKEN);
  equal(result.subject, UID, 'subject');
  equal(result.username, 'alice', 'username');
  const expiresAt = result.expiresAt?.getTime() ?? 0;
  ok(Math.abs(expiresAt - validUntil() * 1000) <= 5000, `expiresAt ${expiresAt} is valid_until`);
});

test('pi: an unknown token is rejected, a malformed one never leaves the process', async () => {
  await rejectsWithCode(() => app.verify('never-issued-token-0123456789abcdef'), 'ERR_CREDENTIAL_REJECTED');
  await rejectsWithCode(() => app.verify(`Bearer ${TOKEN}`), 'ERR_CREDENTIAL_MALFORMED');
  await rejectsWithCode(() => app.verify(''), 'ERR_CREDENTIAL_MALFORMED');
});
