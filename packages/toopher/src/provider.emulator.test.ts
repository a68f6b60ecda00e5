import { createMemoryStore, isAuthBridgeError } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import {
  type ConformanceContext,
  rejectionOf as errorOf,
  runProviderConformance,
} from '@authbridge/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createToopherApi } from './api.js';
import { toopherErrorKind } from './errors.js';
import { toopher } from './provider.js';

interface Fixtures {
  consumerKey: string;
  consumerSecret: string;
  users: Record<
    'paired' | 'disabled' | 'deactivated' | 'pendingPairing' | 'otpRequired',
    { userId: string; username: string; pairingId: string }
  >;
}
const fixturesOf = (emulator: Emulator) => emulator.fixtures.toopher as Fixtures;

async function phone(baseUrl: string, path: string, method = 'POST'): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/_emulator${path}`, { method });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

// Shared by every instance below, as a Redis store is shared by an app's instances.
const challengeStore = createMemoryStore();

/** A push challenge for the paired user, answered on the emulated phone. */
async function answeredOnPhone(
  { emulator, baseUrl }: ConformanceContext,
  answer: 'grant' | 'deny' = 'grant',
) {
  const { consumerKey, consumerSecret, users } = fixturesOf(emulator);
  const provider = toopher({ consumerKey, consumerSecret, baseUrl, challengeStore });
  const challenge = await provider.createChallenge({
    username: users.paired.username,
    terminal: 'conformance',
  });
  await phone(baseUrl, `/authentication_requests/${challenge.data.authenticationRequest.id}/${answer}`);
  return { challenge, credential: { challengeId: challenge.id } };
}

runProviderConformance('toopher', {
  emulator: 'toopher',
  create: ({ emulator }, http) => {
    const { consumerKey, consumerSecret } = fixturesOf(emulator);
    return toopher({
      consumerKey,
      consumerSecret,
      ...http,
      challengeStore,
      poll: { interval: 20, deadline: 2000 },
    });
  },
  secrets: ({ emulator }) => [fixturesOf(emulator).consumerSecret],
  validCredential: async (context) => (await answeredOnPhone(context)).credential,
  expectedSubject: ({ emulator }) => fixturesOf(emulator).users.paired.userId,
  // The poll of verify, not the POST that starts the request (its path would match `[^/]+` too).
  verifyPath: /^\/authentication_requests\/(?!initiate$)[^/]+$/,
  challenge: { answered: (context) => answeredOnPhone(context) },
  failures: [
    {
      name: 'a credential of neither shape',
      credential: () => ({}) as never,
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'a challenge id that is a path',
      credential: () => ({ challengeId: '../users' }),
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'a challenge id this server never issued',
      credential: () => ({ challengeId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      code: 'ERR_CREDENTIAL_CHALLENGE',
    },
    {
      name: 'the request id of an earlier version of the credential',
      credential: async (context) =>
        ({
          authenticationRequestId: (await answeredOnPhone(context)).challenge.data.authenticationRequest.id,
        }) as never,
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'a request the user denied',
      credential: async (context) => (await answeredOnPhone(context, 'deny')).credential,
      code: 'ERR_CREDENTIAL_REJECTED',
    },
    {
      name: 'a postback with a forged signature',
      async credential({ emulator, baseUrl }) {
        const { consumerKey, consumerSecret, users } = fixturesOf(emulator);
        const provider = toopher({ consumerKey, consumerSecret, baseUrl, challengeStore });
        const challenge = await provider.createIframeChallenge({ username: users.paired.username });
        const token = new URL(challenge.data.url).searchParams.get('session_token');
        return {
          challengeId: challenge.id,
          postback: `id=1&timestamp=${Math.floor(Date.now() / 1000)}&session_token=${token}&resource_type=authentication_request&granted=true&pending=false&toopher_sig=AAAA`,
        };
      },
      code: 'ERR_CREDENTIAL_SIGNATURE',
    },
  ],
});

describe('toopher against the emulator', () => {
  let emulator: Emulator;
  let baseUrl: string;
  let f: Fixtures;
  beforeAll(async () => {
    emulator = await startEmulator({ providers: ['toopher'] });
    baseUrl = emulator.urls.toopher as string;
    f = fixturesOf(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());
  const api = () =>
    createToopherApi({ consumerKey: f.consumerKey, consumerSecret: f.consumerSecret, baseUrl, retry: false });

  it('pairs by phrase, SMS and QR (chosen by the argument), completes on the phone, then authenticates by pairing id', async () => {
    const client = api();
    const byPhrase = await client.pair('newbie', 'awkward turtle');
    expect(byPhrase).toMatchObject({ pending: true, enabled: false, user: { name: 'newbie' } });
    const bySms = await client.pair('newbie2', '555-555-5555', { extras: { phone_country: '1' } });
    const byQr = await client.pair('newbie3');
    const paths = emulator.requests.filter((r) => r.method === 'POST').map((r) => r.subPath);
    expect(paths).toEqual(['/pairings/create', '/pairings/create/sms', '/pairings/create/qr']);
    expect(emulator.requests[1]?.body).toContain('phone_number=555-555-5555');
    const png = await client.advanced.pairings.getQrCodeImage(byQr.id);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bySms.user.name).toBe('newbie2');

    const early = await errorOf(client.authenticate(byPhrase.id, { terminalName: 't' }));
    expect(early).toMatchObject({ code: 'ERR_PROVIDER_CONFLICT', providerCode: '601', status: 409 });
    await phone(baseUrl, `/pairings/${byPhrase.id}/complete`);
    expect(await client.advanced.pairings.getById(byPhrase.id)).toMatchObject({
      enabled: true,
      pending: false,
    });
    const request = await client.authenticate(byPhrase.id, {
      terminalName: 'laptop',
      requesterSpecifiedId: 'dev-1',
      actionName: 'Transfer',
    });
    expect(request).toMatchObject({
      pending: true,
      granted: false,
      action: { name: 'Transfer' },
      terminal: { name: 'laptop', requesterSpecifiedId: 'dev-1' },
    });
    expect(emulator.requests.at(-1)?.body).toContain(`pairing_id=${byPhrase.id}`);
  });

  it('maps 704, 705, 706, 707, 601 and 708 with their Toopher codes', async () => {
    const client = api();
    const cases: [string, Promise<unknown>, string, string | undefined][] = [
      ['disabled', client.authenticate(f.users.disabled.username), '704', 'user_disabled'],
      ['unknown', client.authenticate('nobody'), '705', 'user_unknown'],
      [
        'terminal',
        client.authenticate(f.users.paired.username, { requesterSpecifiedId: 'never-seen' }),
        '706',
        'terminal_unknown',
      ],
      ['deactivated', client.authenticate(f.users.deactivated.pairingId), '707', 'pairing_deactivated'],
      ['pending', client.authenticate(f.users.pendingPairing.username), '601', 'pairing_deactivated'],
      ['otp', client.authenticate(f.users.otpRequired.username), '708', 'otp_required'],
    ];
    for (const [name, promise, code, kind] of cases) {
      const error = await errorOf(promise);
      expect(error, name).toMatchObject({ code: 'ERR_PROVIDER_CONFLICT', providerCode: code, status: 409 });
      expect(toopherErrorKind(error), name).toBe(kind);
    }
  });

  it('grants with a TOTP from the phone, rejects a wrong one', async () => {
    const client = api();
    const { otp } = (await phone(baseUrl, `/pairings/${f.users.otpRequired.pairingId}/otp`, 'GET')) as {
      otp: string;
    };
    const granted = await client.authenticate(f.users.otpRequired.username, { extras: { otp } });
    expect(granted).toMatchObject({ pending: false, granted: true });
    const pending = await client.authenticate(f.users.paired.username);
    const wrong = otp === '000000' ? '111111' : '000000';
    expect(await client.advanced.authenticationRequests.grantWithOtp(pending.id, wrong)).toMatchObject({
      pending: false,
      granted: false,
    });
    const other = await client.authenticate(f.users.paired.username);
    const { otp: good } = (await phone(baseUrl, `/pairings/${f.users.paired.pairingId}/otp`, 'GET')) as {
      otp: string;
    };
    expect(await client.advanced.authenticationRequests.grantWithOtp(other.id, good)).toMatchObject({
      granted: true,
    });
  });

  it('users: create, by name, by id, disable, enable, reset; terminals; reset links; raw', async () => {
    const client = api();
    const user = await client.advanced.users.create('zed');
    expect(await client.advanced.users.getByName('zed')).toMatchObject({
      id: user.id,
      toopherAuthenticationEnabled: true,
    });
    expect(await client.advanced.users.disableToopherAuthentication(user.id)).toMatchObject({
      toopherAuthenticationEnabled: false,
    });
    expect(emulator.requests.at(-1)?.body).toBe('toopher_authentication_enabled=False');
    expect(await client.advanced.users.enableToopherAuthentication(user.id)).toMatchObject({
      toopherAuthenticationEnabled: true,
    });
    expect(await client.advanced.users.getById(user.id)).toMatchObject({ name: 'zed' });
    expect(await errorOf(client.advanced.users.getByName('nobody'))).toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });

    const terminal = await client.advanced.userTerminals.create(f.users.paired.username, 'phone', 'rsid-9');
    expect(await client.advanced.userTerminals.getById(terminal.id)).toMatchObject({
      name: 'phone',
      requesterSpecifiedId: 'rsid-9',
    });
    const request = await client.authenticate(f.users.paired.username, { requesterSpecifiedId: 'rsid-9' });
    expect(request.terminal.id).toBe(terminal.id);

    const link = await client.advanced.pairings.getResetLink(f.users.paired.pairingId, {
      securityQuestion: 'q',
      securityAnswer: 'a',
    });
    expect(link).toMatch(new RegExp(`/pairings/${f.users.paired.pairingId}/reset\\?reset_authorization=`));
    await client.advanced.pairings.emailResetLink(f.users.paired.pairingId, 'alice@example.com');
    expect(await client.advanced.raw.get('/users', { name: 'zed' })).toEqual([
      { id: user.id, name: 'zed', toopher_authentication_enabled: true },
    ]);
    const bytes = await client.advanced.raw.getRaw(`/qr/pairings/${f.users.paired.pairingId}`);
    expect(bytes[1]).toBe(0x50);

    await client.advanced.users.reset(f.users.paired.username);
    expect(await errorOf(client.authenticate(f.users.paired.username))).toMatchObject({
      providerCode: '707',
    });
  });

  it('a wrong consumer secret is ERR_PROVIDER_UNAUTHORIZED and the secret is nowhere in the error', async () => {
    const secret = 'definitely-the-wrong-secret';
    const client = createToopherApi({ consumerKey: f.consumerKey, consumerSecret: secret, baseUrl });
    const error = await errorOf(client.advanced.users.getByName('zed'));
    expect(error).toMatchObject({ code: 'ERR_PROVIDER_UNAUTHORIZED', providerCode: '401' });
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(secret);
  });

  it('POSTs are never retried; GETs are, honouring the fault', async () => {
    emulator.injectFault({
      provider: 'toopher',
      method: 'POST',
      path: '/users/create',
      times: 1,
      fault: { status: 503 },
    });
    const client = createToopherApi({
      consumerKey: f.consumerKey,
      consumerSecret: f.consumerSecret,
      baseUrl,
      retry: { baseDelay: 1 },
    });
    expect(await errorOf(client.advanced.users.create('once'))).toMatchObject({
      code: 'ERR_PROVIDER_SERVER',
    });
    expect(emulator.requests.filter((r) => r.subPath === '/users/create')).toHaveLength(1);
    emulator.injectFault({
      provider: 'toopher',
      method: 'GET',
      path: '/users',
      times: 1,
      fault: { status: 503 },
    });
    await expect(client.advanced.users.getByName(f.users.paired.username)).resolves.toMatchObject({
      id: f.users.paired.userId,
    });
    expect(emulator.requests.filter((r) => r.subPath === '/users')).toHaveLength(2);
  });

  it('non-JSON bodies and dropped connections are typed errors', async () => {
    const client = api();
    emulator.injectFault({ provider: 'toopher', path: '/users', times: 1, fault: { nonJson: true } });
    expect(await errorOf(client.advanced.users.getByName('x'))).toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
    emulator.injectFault({
      provider: 'toopher',
      path: '/users',
      times: 1,
      fault: { nonJson: true, status: 502 },
    });
    expect(await errorOf(client.advanced.users.getByName('x'))).toMatchObject({
      code: 'ERR_PROVIDER_SERVER',
    });
    emulator.injectFault({ provider: 'toopher', path: '/users', times: 1, fault: { drop: true } });
    expect(await errorOf(client.advanced.users.getByName('x'))).toMatchObject({ code: 'ERR_NETWORK' });
  });

  it('verify polls until granted, and a request left pending times out at the deadline', async () => {
    const provider = toopher({
      consumerKey: f.consumerKey,
      consumerSecret: f.consumerSecret,
      baseUrl,
      // Generous: the phone answers after the first poll, however slow the machine.
      poll: { interval: 50, maxInterval: 100, deadline: 30_000 },
    });
    const challenge = await provider.createChallenge({
      username: f.users.paired.username,
      terminal: 'x',
      action: 'Log In',
    });
    const requestId = challenge.data.authenticationRequest.id;
    const pollPath = `/authentication_requests/${requestId}`;
    const polls = () => emulator.requests.filter((r) => r.subPath === pollPath).length;
    const verifying = provider.verify({ challengeId: challenge.id });
    await vi.waitFor(() => expect(polls()).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
    await phone(baseUrl, `/authentication_requests/${requestId}/grant`);
    expect(await verifying).toMatchObject({
      provider: 'toopher',
      subject: f.users.paired.userId,
      username: f.users.paired.username,
    });
    expect(polls()).toBeGreaterThan(1);

    const impatient = toopher({
      consumerKey: f.consumerKey,
      consumerSecret: f.consumerSecret,
      baseUrl,
      poll: { interval: 50, maxInterval: 100, deadline: 500 },
    });
    const stale = await impatient.createChallenge({ pairingId: f.users.paired.pairingId });
    expect(await errorOf(impatient.verify({ challengeId: stale.id }))).toMatchObject({
      code: 'ERR_TIMEOUT',
    });
    // Still pending, the challenge was only peeked: once the phone answers, the same id logs in.
    await phone(baseUrl, `/authentication_requests/${stale.data.authenticationRequest.id}/grant`);
    await expect(impatient.verify({ challengeId: stale.id })).resolves.toMatchObject({
      subject: f.users.paired.userId,
    });
  });

  it('a request nobody answers is finished as denied by the emulator clock', async () => {
    // The client signs with the emulator's clock, which the test moves past the request timeout.
    const provider = toopher({
      consumerKey: f.consumerKey,
      consumerSecret: f.consumerSecret,
      baseUrl,
      now: () => emulator.clock.now(),
    });
    const challenge = await provider.createChallenge({ username: f.users.paired.username });
    emulator.clock.advance(6 * 60_000);
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REJECTED',
    });
  });

  it('iframe: the page verifies the signed URL, waits for the phone, and posts back signed data verify accepts', async () => {
    const provider = toopher({
      consumerKey: f.consumerKey,
      consumerSecret: f.consumerSecret,
      baseUrl,
      replayStore: createMemoryStore(),
    });
    /** Opens the challenge's iframe URL, answers on the phone, and returns the page's postback data. */
    async function iframeLogin(username: string, answer: 'grant' | 'deny' = 'grant') {
      const challenge = await provider.createIframeChallenge({ username, action: 'Log In' });
      const html = await (await fetch(challenge.data.url)).text();
      const id = /data-request-id="([^"]+)"/.exec(html)?.[1] as string;
      const resultUrl = `${baseUrl}/web/authenticate/${id}/result`;
      expect(await (await fetch(resultUrl)).json()).toEqual({ status: 'pending' });
      await phone(baseUrl, `/authentication_requests/${id}/${answer}`);
      const { toopher_iframe_data: data } = (await (await fetch(resultUrl)).json()) as {
        toopher_iframe_data: string;
      };
      return { challenge, id, data };
    }
    const { challenge, id, data } = await iframeLogin(f.users.paired.username);
    const result = await provider.verify({
      challengeId: challenge.id,
      postback: { toopher_iframe_data: data },
    });
    expect(result).toMatchObject({
      subject: f.users.paired.userId,
      claims: { authenticationRequest: { id, granted: true } },
    });
    const token = new URL(challenge.data.url).searchParams.get('session_token') as string;
    expect(provider.iframe.isAuthenticationGranted(data, { requestToken: token })).toBe(true);
    // The challenge is spent; the postback under another challenge is another session's.
    expect(await errorOf(provider.verify({ challengeId: challenge.id, postback: data }))).toMatchObject({
      code: 'ERR_CREDENTIAL_CHALLENGE',
    });
    const other = await provider.createIframeChallenge({ username: f.users.paired.username });
    expect(await errorOf(provider.verify({ challengeId: other.id, postback: data }))).toMatchObject({
      code: 'ERR_CREDENTIAL_AUDIENCE',
    });
    const denied = await iframeLogin(f.users.paired.username, 'deny');
    expect(
      await errorOf(provider.verify({ challengeId: denied.challenge.id, postback: denied.data })),
    ).toMatchObject({ code: 'ERR_CREDENTIAL_REJECTED' });
  });

  it('iframe: a tampered or expired URL is refused by the page; a disabled user gets an unsigned 704 postback', async () => {
    const iframe = toopher({ consumerKey: f.consumerKey, consumerSecret: f.consumerSecret, baseUrl }).iframe;
    const url = iframe.getAuthenticationUrl(f.users.paired.username);
    expect((await fetch(url.replace('Log+In', 'Pay+100'))).status).toBe(401);
    emulator.clock.advance(301_000);
    expect((await fetch(url)).status).toBe(401);
    emulator.clock.reset();
    const html = await (await fetch(iframe.getAuthenticationUrl(f.users.disabled.username))).text();
    const data = (/name="toopher_iframe_data" value="([^"]*)"/.exec(html)?.[1] ?? '').replace(/&#38;/g, '&');
    const error = (() => {
      try {
        iframe.processPostback(data);
      } catch (e) {
        return e;
      }
    })();
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect((error as { providerCode: string }).providerCode).toBe('704');
  });

  it('iframe: the manage_user page posts back a signed requester_user', async () => {
    const iframe = toopher({ consumerKey: f.consumerKey, consumerSecret: f.consumerSecret, baseUrl }).iframe;
    const html = await (
      await fetch(iframe.getUserManagementUrl(f.users.paired.username, { resetEmail: 'a@example.com' }))
    ).text();
    expect(html).toContain('paired');
    const data = (/name="toopher_iframe_data" value="([^"]*)"/.exec(html)?.[1] ?? '').replace(/&#38;/g, '&');
    expect(iframe.processPostback(data)).toMatchObject({
      resourceType: 'requester_user',
      user: { id: f.users.paired.userId, toopherAuthenticationEnabled: true },
    });
  });
});
