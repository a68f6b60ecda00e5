import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToopherApi, isPairingId } from './api.js';
import { toopherErrorKind } from './errors.js';
import { createOAuth1Signer } from './oauth1.js';

const BASE = 'https://api.toopher.test/v1';
const SECRET = 'consumer-secret-never-shown';
const api = createToopherApi({
  consumerKey: 'key',
  consumerSecret: SECRET,
  baseUrl: BASE,
  now: () => 0,
  nonce: () => 'nonce',
  retry: false,
});
const user = { id: 'u1', name: 'user name', toopher_authentication_enabled: true };
const pairing = { id: 'p1', enabled: true, pending: false, user };
const terminal = { id: 't1', name: 'term', requester_specified_id: 'rs', user };
const request = {
  id: 'r1',
  pending: true,
  granted: false,
  automated: false,
  reason: '',
  reason_code: '0',
  terminal,
  user,
  action: { id: 'a1', name: 'Log In' },
};

/** Signs as `api` does (same key, secret, clock and nonce), to check the header of a request as sent. */
const referenceSigner = createOAuth1Signer({
  consumerKey: 'key',
  consumerSecret: SECRET,
  now: () => 0,
  nonce: () => 'nonce',
});

interface SeenRequest {
  method: string;
  path: string;
  body: string;
  contentType: string | undefined;
  authorization: string;
}

/**
 * A nock reply that answers `status` with `json` and keeps the request as the server saw it. Its
 * `authorization` must equal a header signed over that method, URL and body, so a request signed
 * over anything else (another path, a missing parameter) fails.
 */
function recorded(status: number, json: unknown) {
  const seen: SeenRequest[] = [];
  const reply = function (this: nock.ReplyFnContext, path: string, body: nock.Body) {
    const header = (name: string) => {
      const value = this.req.headers[name];
      return value === undefined ? undefined : String(value);
    };
    seen.push({
      method: this.req.method,
      path,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      contentType: header('content-type'),
      authorization: header('authorization') ?? '',
    });
    return [status, json] as [number, unknown];
  };
  return { seen, reply };
}

function expectSigned(request: SeenRequest | undefined): void {
  expect(request).toBeDefined();
  const { method, path, body, authorization } = request as SeenRequest;
  expect(authorization).toMatch(/^OAuth .*oauth_signature="[^"]+"/);
  expect(authorization).toBe(
    referenceSigner.authorizationHeader(method, `https://api.toopher.test${path}`, body || undefined),
  );
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
});

describe('ToopherApi over nock', () => {
  it('signs the pairing POST exactly as spec §7.3 and chooses the endpoint by the argument', async () => {
    let authorization = '';
    nock(BASE)
      .post('/pairings/create', 'user_name=user+name&pairing_phrase=awkward+turtle')
      .reply(function reply() {
        authorization = String(this.req.headers.authorization);
        return [201, pairing];
      });
    const vectorApi = createToopherApi({
      consumerKey: 'key',
      consumerSecret: 'secret',
      baseUrl: BASE,
      now: () => 0,
      nonce: () => 'nonce',
    });
    await vectorApi.pair('user name', 'awkward turtle');
    expect(authorization).toContain('oauth_signature="Bx5EZmZHLjWFewtplLcObH6Gva0%3D"');
    nock(BASE)
      .post('/pairings/create/sms', 'user_name=u&phone_number=5551234&phone_country=1')
      .reply(201, pairing);
    await api.pair('u', '5551234', { extras: { phone_country: 1 } });
    nock(BASE).post('/pairings/create/qr', 'user_name=u').reply(201, pairing);
    await api.pair('u', '');
  });

  it('authenticate sends pairing_id for a UUID, user_name otherwise, only truthy options, extras last', async () => {
    const id = '1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c';
    nock(BASE)
      .post('/authentication_requests/initiate', `pairing_id=${id}&terminal_name=t`)
      .reply(201, request);
    const r = await api.authenticate(id, { terminalName: 't', actionName: '' });
    expect(r).toMatchObject({ id: 'r1', reasonCode: 0, terminal: { requesterSpecifiedId: 'rs' } });
    nock(BASE)
      .post(
        '/authentication_requests/initiate',
        'user_name=jdoe&requester_specified_terminal_id=rs&action_name=Pay&automation_allowed=False',
      )
      .reply(201, request);
    await api.authenticate('jdoe', {
      requesterSpecifiedId: 'rs',
      actionName: 'Pay',
      extras: { automation_allowed: false },
    });
    const unbalanced = `{${id}`;
    nock(BASE)
      .post('/authentication_requests/initiate', `pairing_id=${encodeURIComponent(unbalanced)}`)
      .reply(201, request);
    await api.authenticate(unbalanced);
  });

  // Each answer is CPython 2.7.18's: `try: uuid.UUID(x); True` / `except: False` (toopher-python targets 2.6
  // and 2.7). The rows marked 2.7 are where Python 3.11 answers otherwise (long() vs int()).
  it.each<[string, boolean]>([
    ['1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['1C2EC6A5-0C3B-4F6C-9A1B-1F0E5D2B3A4C', true],
    ['{1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c}', true],
    ['{1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c}', true],
    ['{{1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c}}', true],
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['urn:uuid:1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['urn:uuid:1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['urn:1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['uuid:1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['uuid:urn:1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['URN:UUID:1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c', false],
    ['urn:uuid:{1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c}', true],
    ['{urn:uuid:1c2ec6a5-0c3b-4f6c-9a1b-1f0e5d2b3a4c}', true],
    ['1c2ec6a5-0urn:c3b-4f6c-9a1b-1f0e5d2b3a4c', true],
    ['1c2ec6a5--0c3b4f6c9a1b1f0e5d2b3a4c-', true],
    ['-1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c-', true],
    ['1-2-3ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['-{1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c}', false],
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4', false],
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c0', false],
    ['uurn:rn:1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', false],
    ['+c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    [' c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['c2ec6a50c3b4f6c9a1b1f0e5d2b3a4c ', true],
    ['\tc2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['\vc2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['\fc2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['\x1cc2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', false],
    ['+ 2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true], // 2.7
    ['0x2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['0X2ec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['+0xec6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    [' +0xc6a50c3b4f6c9a1b1f0e5d2b3a4c', true],
    ['0x ec6a50c3b4f6c9a1b1f0e5d2b3a4c', false],
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4L', true], // 2.7
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4l', true], // 2.7
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3aL ', true], // 2.7
    ['1c2ec6a50c3b4f6_9a1b1f0e5d2b3a4c', false], // 2.7
    ['0xLec6a50c3b4f6c9a1b1f0e5d2b3a4c', false],
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4g', false],
    ['jdoe@example.com', false],
    ['', false],
    ['{}', false],
    ['urn:uuid:', false],
    ['1c2ec6a50c3b4f6c9a1b1f0e5d2b3a4\0', false],
    ['                                ', false],
    ['++++++++++++++++++++++++++++++++', false],
    ['0x                              ', false],
  ])('isPairingId(%j) is %s, as uuid.UUID() in toopher-python', (value, pairingId) => {
    expect(isPairingId(value)).toBe(pairingId);
  });

  it('keeps Toopher error codes: 704 at 409, 601 at 409 with either message, 708, and classifies them', async () => {
    nock(BASE).post('/authentication_requests/initiate').reply(409, {
      error_code: 704,
      error_message: 'The specified user has disabled Toopher authentication.',
    });
    const e704 = await errorOf(api.authenticate('jdoe'));
    expect(e704).toMatchObject({
      code: 'ERR_PROVIDER_CONFLICT',
      status: 409,
      providerCode: '704',
      provider: 'toopher',
    });
    expect(e704.message).toContain('disabled Toopher authentication');
    expect(toopherErrorKind(e704)).toBe('user_disabled');
    nock(BASE)
      .post('/authentication_requests/initiate')
      .reply(409, { error_code: 601, error_message: 'This pairing has been deactivated.' });
    const e601 = await errorOf(api.authenticate('jdoe'));
    expect(e601).toMatchObject({ status: 409, providerCode: '601' });
    expect(toopherErrorKind(e601)).toBe('pairing_deactivated');
    nock(BASE)
      .post('/authentication_requests/initiate')
      .reply(409, { error_code: 601, error_message: 'Something else' });
    expect(toopherErrorKind(await errorOf(api.authenticate('jdoe')))).toBeUndefined();
    nock(BASE)
      .post('/authentication_requests/initiate')
      .reply(409, { error_code: 708, error_message: 'User requires OTP authentication' });
    expect(toopherErrorKind(await errorOf(api.authenticate('jdoe')))).toBe('otp_required');
  });

  it("705, 706 and 707 at 409 keep their codes and kinds (spec §4 messages, and Python's for 707)", async () => {
    const cases: [number, string, string][] = [
      [705, 'No matching user exists', 'user_unknown'],
      [706, 'No matching terminal exists', 'terminal_unknown'],
      [707, 'Not allowed: This pairing has been deactivated.', 'pairing_deactivated'],
      [707, 'Pairing has been deactivated', 'pairing_deactivated'],
    ];
    for (const [code, message, kind] of cases) {
      nock(BASE)
        .post('/authentication_requests/initiate')
        .reply(409, { error_code: code, error_message: message });
      const error = await errorOf(api.authenticate('jdoe'));
      expect(error, message).toMatchObject({
        code: 'ERR_PROVIDER_CONFLICT',
        status: 409,
        providerCode: String(code),
        provider: 'toopher',
      });
      expect(error.message).toContain(message);
      expect(toopherErrorKind(error), message).toBe(kind);
    }
  });

  it("601 as an HTTP status, as Ruby's tests send it, is a typed error that names no secret", async () => {
    // nock builds a WHATWG Response, which refuses a status above 599, so a real socket serves it.
    const server = createServer((_req, res) => {
      res.writeHead(601, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 601, error_message: 'Pairing has not been authorized' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const local = createToopherApi({
        consumerKey: 'key',
        consumerSecret: SECRET,
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
        retry: false,
      });
      const error = await errorOf(local.authenticate('jdoe'));
      // The status and Toopher's code survive the HTTP layer; an unknown status class is a provider error.
      expect(error).toMatchObject({ provider: 'toopher', status: 601, providerCode: '601' });
      expect(toopherErrorKind(error)).toBe('pairing_deactivated');
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(SECRET);
    } finally {
      nock.disableNetConnect();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a non-JSON or empty 200, and a response missing a required key, are ERR_UNEXPECTED_RESPONSE', async () => {
    nock(BASE).get('/users/u1').reply(200, '<html>oops</html>');
    expect(await errorOf(api.advanced.users.getById('u1'))).toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
    nock(BASE).get('/users/u1').reply(200, '');
    expect(await errorOf(api.advanced.users.getById('u1'))).toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
    nock(BASE).get('/pairings/p1').reply(200, { id: 'p1', enabled: true, user });
    expect(await errorOf(api.advanced.pairings.getById('p1'))).toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
  });

  it('getByName: one user, or a typed error for none and for several', async () => {
    nock(BASE).get('/users').query({ name: 'user name' }).reply(200, [user]);
    expect(await api.advanced.users.getByName('user name')).toMatchObject({
      id: 'u1',
      toopherAuthenticationEnabled: true,
    });
    nock(BASE).get('/users').query({ name: 'x' }).reply(200, [user, user]);
    const several = await errorOf(api.advanced.users.getByName('x'));
    expect(several).toMatchObject({ code: 'ERR_UNEXPECTED_RESPONSE' });
    expect(several.message).toContain('Multiple users with name = x');
    nock(BASE).get('/users').query({ name: 'nobody' }).reply(200, []);
    const none = await errorOf(api.advanced.users.getByName('nobody'));
    expect(none).toMatchObject({ code: 'ERR_UNEXPECTED_RESPONSE' });
    expect(none.message).toContain('No users with name = nobody');
  });

  it('the QR image comes back as bytes, reset links as the url, reset and OTP as specified', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    nock(BASE).get('/qr/pairings/p1').reply(200, Buffer.from(png), { 'content-type': 'image/png' });
    expect([...(await api.advanced.pairings.getQrCodeImage('p1'))]).toEqual([...png]);
    nock(BASE)
      .post('/pairings/p1/generate_reset_link', 'security_question=q&security_answer=a')
      .reply(200, { url: 'http://api.toopher.test/v1/pairings/p1/reset?reset_authorization=abcde' });
    expect(
      await api.advanced.pairings.getResetLink('p1', { securityQuestion: 'q', securityAnswer: 'a' }),
    ).toBe('http://api.toopher.test/v1/pairings/p1/reset?reset_authorization=abcde');
    nock(BASE).post('/pairings/p1/send_reset_link', 'reset_email=').reply(201, []);
    await api.advanced.pairings.emailResetLink('p1', '');
    nock(BASE).post('/users/reset', 'user_name=user+name').reply(200, []);
    await api.advanced.users.reset('user name');
    nock(BASE)
      .post('/authentication_requests/r1/otp_auth', 'otp=123456')
      .reply(200, { ...request, pending: false, granted: true });
    expect(await api.advanced.authenticationRequests.grantWithOtp('r1', '123456')).toMatchObject({
      granted: true,
    });
    nock(BASE).post('/user_terminals/create', 'user_name=u&name=term&name_extra=rs').reply(201, terminal);
    expect(await api.advanced.userTerminals.create('u', 'term', 'rs')).toMatchObject({
      requesterSpecifiedId: 'rs',
    });
  });

  it('a 5xx on POST is not retried even with retries on; the consumer secret is in no error', async () => {
    const retrying = createToopherApi({
      consumerKey: 'key',
      consumerSecret: SECRET,
      baseUrl: BASE,
      retry: { limit: 3, baseDelay: 1 },
    });
    nock(BASE).post('/users/create').once().reply(503, `upstream says ${SECRET}`);
    const error = await errorOf(retrying.advanced.users.create('n'));
    expect(error).toMatchObject({ code: 'ERR_PROVIDER_SERVER' });
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it('rejects bad configuration with ERR_CONFIG', () => {
    expect(() => createToopherApi({ consumerKey: '', consumerSecret: 's' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
    expect(() => createToopherApi({ consumerKey: 'k', consumerSecret: 's', baseUrl: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
  });

  it("an empty id, '.' or '..' rejects (never throws) with ERR_INVALID_ARGUMENT and sends nothing", async () => {
    const { pairings, authenticationRequests, users, userTerminals } = api.advanced;
    const calls: [string, (id: string) => Promise<unknown>][] = [
      ['pairings.getById', (id) => pairings.getById(id)],
      ['pairings.getQrCodeImage', (id) => pairings.getQrCodeImage(id)],
      ['pairings.getResetLink', (id) => pairings.getResetLink(id)],
      ['pairings.emailResetLink', (id) => pairings.emailResetLink(id, 'a@example.com')],
      ['authenticationRequests.getById', (id) => authenticationRequests.getById(id)],
      ['authenticationRequests.grantWithOtp', (id) => authenticationRequests.grantWithOtp(id, '123456')],
      ['users.getById', (id) => users.getById(id)],
      ['users.enableToopherAuthentication', (id) => users.enableToopherAuthentication(id)],
      ['users.disableToopherAuthentication', (id) => users.disableToopherAuthentication(id)],
      ['userTerminals.getById', (id) => userTerminals.getById(id)],
    ];
    for (const [name, call] of calls) {
      for (const id of ['', '.', '..']) {
        let promise: Promise<unknown> | undefined;
        expect(() => {
          promise = call(id);
        }, `${name}(${id})`).not.toThrow();
        expect(await errorOf(promise as Promise<unknown>), `${name}(${id})`).toMatchObject({
          code: 'ERR_INVALID_ARGUMENT',
          provider: 'toopher',
        });
      }
    }
    // An id that merely contains dots is an ordinary id, sent encoded in its own segment.
    nock(BASE).get('/users/a..b').reply(200, user);
    expect(await users.getById('a..b')).toMatchObject({ id: 'u1' });
  });
});

describe('advanced calls over nock: URL, method, signed Authorization, body', () => {
  it('raw.post sends params as a signed form body and returns the JSON undecoded', async () => {
    const { seen, reply } = recorded(201, { id: 'u9', name: 'jdoe', extra_key: 1 });
    nock(BASE).post('/users/create').reply(reply);
    const result = await api.advanced.raw.post('/users/create', { name: 'j doe', flag: true, off: false });
    expect(result).toEqual({ id: 'u9', name: 'jdoe', extra_key: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/users/create',
      body: 'name=j+doe&flag=True&off=False',
      contentType: expect.stringContaining('application/x-www-form-urlencoded'),
    });
    expectSigned(seen[0]);
  });

  it('raw.get sends params in the signed query; raw.getRaw returns the bytes unparsed', async () => {
    const { seen, reply } = recorded(200, [user]);
    nock(BASE).get('/users').query({ name: 'user name', deep: 'True' }).reply(reply);
    expect(await api.advanced.raw.get('/users', { name: 'user name', deep: true })).toEqual([user]);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/users?name=user+name&deep=True', body: '' });
    expectSigned(seen[0]);

    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0xff]);
    const raw = recorded(200, '');
    nock(BASE)
      .get('/qr/pairings/p1')
      .query({ size: '2' })
      .reply(function (path, body) {
        raw.reply.call(this, path, body);
        return [200, Buffer.from(bytes), { 'content-type': 'image/png' }];
      });
    const got = await api.advanced.raw.getRaw('/qr/pairings/p1', { size: 2 });
    expect(got).toBeInstanceOf(Uint8Array);
    expect([...got]).toEqual([...bytes]);
    expect(raw.seen[0]).toMatchObject({ method: 'GET', path: '/v1/qr/pairings/p1?size=2' });
    expectSigned(raw.seen[0]);
  });

  it('users.create posts name and extras, and returns the user', async () => {
    const { seen, reply } = recorded(201, { ...user, name: 'jdoe' });
    nock(BASE).post('/users/create').reply(reply);
    expect(await api.advanced.users.create('jdoe', { extras: { phone: '5551234' } })).toMatchObject({
      id: 'u1',
      name: 'jdoe',
      toopherAuthenticationEnabled: true,
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/users/create',
      body: 'name=jdoe&phone=5551234',
    });
    expectSigned(seen[0]);
  });

  it('getById of a user, a pairing and a user terminal is a signed GET of /{kind}/{id}', async () => {
    const users = recorded(200, { ...user, toopher_authentication_enabled: false });
    nock(BASE).get('/users/u1').reply(users.reply);
    expect(await api.advanced.users.getById('u1')).toMatchObject({
      id: 'u1',
      name: 'user name',
      toopherAuthenticationEnabled: false,
    });
    const pairings = recorded(200, { ...pairing, pending: true });
    nock(BASE).get('/pairings/p1').reply(pairings.reply);
    expect(await api.advanced.pairings.getById('p1')).toMatchObject({
      id: 'p1',
      enabled: true,
      pending: true,
      user: { id: 'u1' },
    });
    const terminals = recorded(200, terminal);
    nock(BASE).get('/user_terminals/t1').reply(terminals.reply);
    expect(await api.advanced.userTerminals.getById('t1')).toMatchObject({
      id: 't1',
      name: 'term',
      requesterSpecifiedId: 'rs',
      user: { name: 'user name' },
    });
    for (const [{ seen }, path] of [
      [users, '/v1/users/u1'],
      [pairings, '/v1/pairings/p1'],
      [terminals, '/v1/user_terminals/t1'],
    ] as const) {
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ method: 'GET', path, body: '' });
      expectSigned(seen[0]);
    }
  });

  it('enable and disable Toopher authentication POST the flag to /users/{id}', async () => {
    const enable = recorded(200, { ...user, toopher_authentication_enabled: true });
    nock(BASE).post('/users/u1').reply(enable.reply);
    expect(await api.advanced.users.enableToopherAuthentication('u1')).toMatchObject({
      toopherAuthenticationEnabled: true,
    });
    expect(enable.seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/users/u1',
      body: 'toopher_authentication_enabled=True',
    });
    expectSigned(enable.seen[0]);

    const disable = recorded(200, { ...user, toopher_authentication_enabled: false });
    nock(BASE).post('/users/u1').reply(disable.reply);
    expect(await api.advanced.users.disableToopherAuthentication('u1')).toMatchObject({
      toopherAuthenticationEnabled: false,
    });
    expect(disable.seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/users/u1',
      body: 'toopher_authentication_enabled=False',
    });
    expectSigned(disable.seen[0]);
    expect(disable.seen[0]?.authorization).not.toBe(enable.seen[0]?.authorization);
  });
});
