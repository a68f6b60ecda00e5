import { createAuth, createMemoryStore, DEFAULT_REPLAY_SKEW_MS, type KeyValueStore } from '@authbridge/core';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import fc from 'fast-check';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { postbackSignature } from './iframe.js';
import { P1 } from './postback-p1.fixture.js';
import { type ToopherCredential, type ToopherOptions, toopher } from './provider.js';

const BASE = 'https://api.toopher.test/v1';
const SECRET = 'hijklmnop';
const user = { id: 'u1', name: 'jdoe', toopher_authentication_enabled: true };
type RequestState = { pending: boolean; granted: boolean; user?: typeof user; terminalId?: string };
const requestJson = (id: string, state: RequestState) => ({
  id,
  pending: state.pending,
  granted: state.granted,
  automated: false,
  reason: '',
  reason_code: 0,
  terminal: {
    id: 't1',
    name: 'term',
    requester_specified_id: state.terminalId ?? 'rs',
    user: state.user ?? user,
  },
  user: state.user ?? user,
  action: { id: 'a1', name: 'Log In' },
});

/**
 * A fetch that answers every request (the initiate POST and each poll GET) from `answer`, and records
 * when. `call` counts from 1, the initiate included.
 */
function stubFetch(answer: (call: number) => RequestState, id = 'r1') {
  const calls: { at: number; url: string; method: string }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push({ at: Date.now(), url: request.url, method: request.method });
    return new Response(JSON.stringify(requestJson(id, answer(calls.length))), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const polls = () => calls.filter((call) => call.method === 'GET');
  return { fetch, calls, polls };
}

const NOW_MS = 1_000_000;
/** A provider with the spec's P1 secret, its clock at P1's timestamp. */
const iframeProvider = (extra: Partial<ToopherOptions> = {}) =>
  toopher({ consumerKey: 'abcdefg', consumerSecret: SECRET, now: () => NOW_MS, ...extra });

/**
 * The postback the Toopher page would send for an iframe URL: P1's fields, signed, with the URL's
 * session token (as the page echoes it) and the changes given.
 */
function postbackFor(url: string, changes: Record<string, string> = {}, secret = SECRET): string {
  const fields = new Map(P1);
  fields.set('session_token', new URL(url).searchParams.get('session_token') ?? '');
  for (const [name, value] of Object.entries(changes)) fields.set(name, value);
  const signature = postbackSignature(fields, secret);
  return `${new URLSearchParams([...fields]).toString()}&toopher_sig=${encodeURIComponent(signature)}`;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('iframe challenges: the request token and user stay on the server', () => {
  it('createIframeChallenge signs a URL with a fresh request token per challenge', async () => {
    const provider = iframeProvider();
    const one = await provider.createIframeChallenge({ username: 'user name' });
    const two = await provider.createIframeChallenge({ username: 'user name' });
    expect(one.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(one.data.username).toBe('user name');
    expect(one.expiresAt).toEqual(new Date(NOW_MS + 5 * 60_000));
    const tokenOf = (url: string) => new URL(url).searchParams.get('session_token');
    expect(tokenOf(one.data.url)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokenOf(one.data.url)).not.toBe(tokenOf(two.data.url));
    expect(new URL(one.data.url).searchParams.get('username')).toBe('user name');
    await expect(errorOf(provider.createIframeChallenge({ username: '' }))).resolves.toMatchObject({
      code: 'ERR_CONFIG',
    });
  });

  it("verifies the challenge's postback once; the challenge is then spent", async () => {
    const provider = iframeProvider();
    const challenge = await provider.createIframeChallenge({ username: 'user name' });
    const credential = { challengeId: challenge.id, postback: postbackFor(challenge.data.url) };
    await expect(provider.verify(credential)).resolves.toMatchObject({ subject: '1', username: 'user name' });
    expect(await errorOf(provider.verify(credential))).toMatchObject({ code: 'ERR_CREDENTIAL_CHALLENGE' });
  });

  it("a postback made for another challenge's session token is ERR_CREDENTIAL_AUDIENCE", async () => {
    const provider = iframeProvider();
    const mine = await provider.createIframeChallenge({ username: 'user name' });
    const theirs = await provider.createIframeChallenge({ username: 'user name' });
    const error = await errorOf(
      provider.verify({ challengeId: mine.id, postback: postbackFor(theirs.data.url) }),
    );
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_AUDIENCE' });
  });

  it("a signed postback of another user than the challenge's is ERR_CREDENTIAL_AUDIENCE", async () => {
    const provider = iframeProvider();
    const challenge = await provider.createIframeChallenge({ username: 'user name' });
    const postback = postbackFor(challenge.data.url, { user_name: 'mallory' });
    expect(await errorOf(provider.verify({ challengeId: challenge.id, postback }))).toMatchObject({
      code: 'ERR_CREDENTIAL_AUDIENCE',
    });
  });

  it('a missing postback is ERR_CREDENTIAL_MALFORMED, not a TypeError', async () => {
    const provider = iframeProvider();
    const challenge = await provider.createIframeChallenge({ username: 'user name' });
    const error = await errorOf(provider.verify({ challengeId: challenge.id, postback: null } as never));
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_MALFORMED', provider: 'toopher' });
    expect((error as Error).message).toContain('body parser');
    // Without a postback at all, an iframe challenge is not polled: it is answered by its postback.
    const other = await provider.createIframeChallenge({ username: 'user name' });
    expect(await errorOf(provider.verify({ challengeId: other.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_MALFORMED',
    });
  });

  it("refuses the old credential shapes and any field that is the server's, without touching the challenge", async () => {
    const provider = iframeProvider();
    const challenge = await provider.createIframeChallenge({ username: 'user name' });
    const postback = postbackFor(challenge.data.url);
    for (const credential of [
      { authenticationRequestId: 'r1' },
      { postback, requestToken: 's9s7vsb' },
      { challengeId: challenge.id, postback, username: 'user name' },
      { challengeId: challenge.id, postback, requestToken: 'x' },
      'r1',
      [challenge.id],
      null,
    ]) {
      expect(await errorOf(provider.verify(credential as never)), JSON.stringify(credential)).toMatchObject({
        code: 'ERR_CREDENTIAL_MALFORMED',
      });
    }
    await expect(provider.verify({ challengeId: challenge.id, postback })).resolves.toMatchObject({
      subject: '1',
    });
  });
});

describe('verify with a replay store: each authentication request once', () => {
  it('refuses a request id it accepted before, even under a new challenge', async () => {
    const { fetch } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      replayStore: createMemoryStore(),
    });
    const first = await provider.createChallenge({ username: 'jdoe' });
    await expect(provider.verify({ challengeId: first.id })).resolves.toMatchObject({ subject: 'u1' });
    // Toopher answers the next initiate with the same, already granted request.
    const second = await provider.createChallenge({ username: 'jdoe' });
    expect(await errorOf(provider.verify({ challengeId: second.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
  });

  it('the postback and the push flow share the record of a request', async () => {
    const replayStore = createMemoryStore();
    const { fetch } = stubFetch(
      () => ({ pending: false, granted: true, user: { ...user, id: '1', name: 'user name' } }),
      '1',
    );
    const provider = iframeProvider({ replayStore, baseUrl: BASE, fetch, retry: false });
    const challenge = await provider.createIframeChallenge({ username: 'user name' });
    await provider.verify({ challengeId: challenge.id, postback: postbackFor(challenge.data.url) });
    const push = await provider.createChallenge({ username: 'user name' });
    expect(await errorOf(provider.verify({ challengeId: push.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
  });

  it('a forged, denied or wrong-user credential does not use up the request', async () => {
    const replayStore = createMemoryStore();
    const provider = iframeProvider({ replayStore });
    const forged = await provider.createIframeChallenge({ username: 'user name' });
    expect(
      await errorOf(
        provider.verify({
          challengeId: forged.id,
          postback: postbackFor(forged.data.url, {}, 'not-the-secret'),
        }),
      ),
    ).toMatchObject({ code: 'ERR_CREDENTIAL_SIGNATURE' });
    const mallory = await provider.createIframeChallenge({ username: 'mallory' });
    expect(
      await errorOf(provider.verify({ challengeId: mallory.id, postback: postbackFor(mallory.data.url) })),
    ).toMatchObject({ code: 'ERR_CREDENTIAL_AUDIENCE' });
    let answer = { pending: false, granted: false };
    const { fetch } = stubFetch(() => answer, 'r1');
    const polled = iframeProvider({ replayStore, baseUrl: BASE, fetch, retry: false });
    const denied = await polled.createChallenge({ username: 'jdoe' });
    expect(await errorOf(polled.verify({ challengeId: denied.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REJECTED',
    });
    answer = { pending: false, granted: true };
    const granted = await polled.createChallenge({ username: 'jdoe' });
    await expect(polled.verify({ challengeId: granted.id })).resolves.toMatchObject({ subject: 'u1' });
    const real = await provider.createIframeChallenge({ username: 'user name' });
    const postback = postbackFor(real.data.url);
    await expect(provider.verify({ challengeId: real.id, postback })).resolves.toMatchObject({
      subject: '1',
    });
  });

  it('keeps a record for replayTtl, or until the postback TTL ends if later, plus replaySkewMs', async () => {
    const ttls: number[] = [];
    const spy: KeyValueStore = {
      ...createMemoryStore(),
      setIfAbsent: async (_key, _value, ttlMs) => {
        ttls.push(ttlMs);
        return true;
      },
    };
    const { fetch } = stubFetch(() => ({ pending: false, granted: true }));
    const push = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch, replayStore: spy });
    await push.verify({ challengeId: (await push.createChallenge({ username: 'jdoe' })).id });
    const DAY = 24 * 60 * 60 * 1000;
    expect(ttls).toEqual([DAY + DEFAULT_REPLAY_SKEW_MS]);
    expect(DEFAULT_REPLAY_SKEW_MS).toBe(300_000);

    // Toopher's clock 10 s ahead of this one: the postback passes here until timestamp + 600 s.
    const iframe = iframeProvider({
      replayStore: spy,
      replayTtl: 1000,
      postbackTtl: 600,
      replaySkewMs: 60_000,
    });
    const challenge = await iframe.createIframeChallenge({ username: 'user name' });
    const timestamp = NOW_MS / 1000 + 10;
    await iframe.verify({
      challengeId: challenge.id,
      postback: postbackFor(challenge.data.url, { timestamp: String(timestamp) }),
    });
    expect(ttls[1]).toBe((timestamp + 600) * 1000 - NOW_MS + 60_000);
    for (const replaySkewMs of [-1, 1.5, Number.NaN, '5' as unknown as number]) {
      expect(() => iframeProvider({ replaySkewMs })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    }
  });

  it('a failing replay store fails closed; a bad replayTtl is ERR_CONFIG', async () => {
    const broken: KeyValueStore = {
      ...createMemoryStore(),
      setIfAbsent: () => Promise.reject(new Error('connection refused')),
    };
    const provider = iframeProvider({ replayStore: broken });
    const challenge = await provider.createIframeChallenge({ username: 'user name' });
    expect(
      await errorOf(
        provider.verify({ challengeId: challenge.id, postback: postbackFor(challenge.data.url) }),
      ),
    ).toMatchObject({ code: 'ERR_STORE' });
    expect(() => iframeProvider({ replayTtl: 0 })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });
});

describe('push challenges: the request id, user and terminal stay on the server', () => {
  it('refuses a malformed or unknown challenge id before any request to Toopher', async () => {
    const { fetch, calls } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    for (const [challengeId, code] of [
      ['..', 'ERR_CREDENTIAL_MALFORMED'],
      ['', 'ERR_CREDENTIAL_MALFORMED'],
      ['r1', 'ERR_CREDENTIAL_MALFORMED'],
      ['AAAAAAAAAAAAAAAAAAAAAA', 'ERR_CREDENTIAL_CHALLENGE'],
    ]) {
      expect(await errorOf(provider.verify({ challengeId: challengeId as string }))).toMatchObject({ code });
    }
    expect(calls).toHaveLength(0);
  });

  it('polls the request the server started, and spends the challenge on the answer', async () => {
    const { fetch, polls } = stubFetch(() => ({ pending: false, granted: true }), 'r-42');
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    const challenge = await provider.createChallenge({
      username: 'jdoe',
      terminal: { name: 'Laptop', requesterSpecifiedId: 'rs' },
    });
    expect(challenge.id).not.toBe('r-42');
    expect(challenge.data.authenticationRequest.id).toBe('r-42');
    await expect(provider.verify({ challengeId: challenge.id })).resolves.toMatchObject({ subject: 'u1' });
    expect(polls().map((call) => new URL(call.url).pathname)).toEqual(['/v1/authentication_requests/r-42']);
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_CHALLENGE',
    });
  });

  it('a denied request spends the challenge too', async () => {
    const { fetch } = stubFetch(() => ({ pending: false, granted: false }));
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REJECTED',
    });
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_CHALLENGE',
    });
  });

  it('a pending request may be polled again after ERR_TIMEOUT; the grant logs in once', async () => {
    let pending = true;
    const { fetch } = stubFetch(() => ({ pending, granted: !pending }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      poll: { interval: 5, deadline: 20 },
    });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_TIMEOUT',
    });
    pending = false;
    await expect(provider.verify({ challengeId: challenge.id })).resolves.toMatchObject({ subject: 'u1' });
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_CREDENTIAL_CHALLENGE',
    });
  });

  it('of concurrent polls of one granted challenge exactly one logs in', async () => {
    const { fetch } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => provider.verify({ challengeId: challenge.id })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'ERR_CREDENTIAL_CHALLENGE' });
    }
  });

  it("a request that turns out to be another user's or terminal's is ERR_CREDENTIAL_AUDIENCE", async () => {
    for (const later of [
      { user: { ...user, id: 'u2', name: 'mallory' } },
      { terminalId: 'another-terminal' },
    ]) {
      const { fetch } = stubFetch((call) =>
        call === 1 ? { pending: true, granted: false } : { pending: false, granted: true, ...later },
      );
      const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
      const challenge = await provider.createChallenge({
        username: 'jdoe',
        terminal: { name: 'x', requesterSpecifiedId: 'rs' },
      });
      expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
        code: 'ERR_CREDENTIAL_AUDIENCE',
      });
    }
  });

  it('a push challenge answered with a postback is refused', async () => {
    const { fetch } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = iframeProvider({ baseUrl: BASE, fetch });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    const iframe = await provider.createIframeChallenge({ username: 'jdoe' });
    expect(
      await errorOf(provider.verify({ challengeId: challenge.id, postback: postbackFor(iframe.data.url) })),
    ).toMatchObject({ code: 'ERR_CREDENTIAL_MALFORMED' });
  });

  it('waits 1 s, then ×1.5 each poll up to 5 s, and times out at the deadline (fake timers)', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { fetch, polls } = stubFetch(() => ({ pending: true, granted: false }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      retry: false,
      poll: { deadline: 20_000 },
    });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    const outcome = errorOf(provider.verify({ challengeId: challenge.id }));
    await vi.runAllTimersAsync();
    expect(await outcome).toMatchObject({ code: 'ERR_TIMEOUT', provider: 'toopher' });
    // Waits 1000, 1500, 2250, 3375, then the 5000 cap; the last wait is cut to the deadline.
    expect(polls().map((call) => call.at)).toEqual([0, 1000, 2500, 4750, 8125, 13_125, 18_125, 20_000]);
  });

  it('stops polling as soon as the request is answered, with the configured schedule', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // Call 1 is the initiate; the request is answered on the fourth poll.
    const { fetch, polls } = stubFetch((call) => ({ pending: call < 5, granted: call >= 5 }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      poll: { interval: 200, maxInterval: 300, deadline: 60_000 },
    });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    const result = provider.verify({ challengeId: challenge.id });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toMatchObject({ subject: 'u1' });
    expect(polls().map((call) => call.at)).toEqual([0, 200, 500, 800]);
  });

  it('measures the deadline with the injected clock, not Date.now', async () => {
    let clock = 0;
    const { fetch, polls } = stubFetch(() => {
      clock += 200_000;
      return { pending: true, granted: false };
    });
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      now: () => clock,
    });
    const challenge = await provider.createChallenge({ username: 'jdoe' });
    // The real clock barely moves; the injected one passes the 120 s deadline on the first poll.
    expect(await errorOf(provider.verify({ challengeId: challenge.id }))).toMatchObject({
      code: 'ERR_TIMEOUT',
    });
    expect(polls()).toHaveLength(1);
  });
});

describe('createChallenge: extras never set the user, terminal or action', () => {
  /** A fetch that answers every initiate with a pending request and records the form it was sent. */
  function recordingFetch() {
    const forms: URLSearchParams[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      forms.push(new URLSearchParams(await request.text()));
      return new Response(JSON.stringify(requestJson('r1', { pending: true, granted: false })), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    return { fetch, forms };
  }

  it.each([
    'user_name',
    'pairing_id',
    'terminal_name',
    'requester_specified_terminal_id',
    'terminal_name_extra',
    'terminal_id',
    'action_name',
    'action',
  ])('refuses extras.%s with ERR_INVALID_ARGUMENT before any request', async (name) => {
    const { fetch, forms } = recordingFetch();
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    const error = await errorOf(
      provider.createChallenge({
        username: 'jdoe',
        terminal: { name: 'Work laptop', requesterSpecifiedId: 'term-1' },
        extras: { [name]: 'victim' },
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', provider: 'toopher' });
    expect((error as Error).message).toContain(name);
    expect(forms).toHaveLength(0);
  });

  it('refuses a provider-set parameter even when its value is undefined', async () => {
    const { fetch, forms } = recordingFetch();
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    const error = await errorOf(
      provider.createChallenge({
        username: 'jdoe',
        terminal: 'Laptop',
        extras: { terminal_name: undefined },
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(forms).toHaveLength(0);
  });

  it("sends other extras beside the provider's own fields", async () => {
    const { fetch, forms } = recordingFetch();
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    await provider.createChallenge({
      username: 'jdoe',
      terminal: { name: 'Laptop', requesterSpecifiedId: 'term-1' },
      action: 'Log In',
      extras: { challenge_required: true },
    });
    expect(forms).toHaveLength(1);
    expect(Object.fromEntries(forms[0] ?? [])).toMatchObject({
      user_name: 'jdoe',
      terminal_name: 'Laptop',
      requester_specified_terminal_id: 'term-1',
      action_name: 'Log In',
      challenge_required: 'True',
    });
    expect(forms[0]?.has('pairing_id')).toBe(false);
  });
});

describe('the verify credential, from any client (property)', () => {
  it('any value is refused with a typed error and never reaches Toopher', async () => {
    const { fetch, calls } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    const credential = fc.oneof(
      fc.anything(),
      fc.record({ challengeId: fc.string({ maxLength: 30 }) }),
      fc.record(
        { challengeId: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), postback: fc.anything() },
        { requiredKeys: ['challengeId'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(credential, async (value) => {
        const error = await errorOf(provider.verify(value as never));
        expect(['ERR_CREDENTIAL_MALFORMED', 'ERR_CREDENTIAL_CHALLENGE']).toContain(error.code);
      }),
      { numRuns: 300 },
    );
    expect(calls).toHaveLength(0);
  });
});

describe('createAuth with toopher', () => {
  it('types the credential as { challengeId, postback? } and refuses server fields at compile time', () => {
    const auth = createAuth({ providers: [toopher({ consumerKey: 'k', consumerSecret: 's' })] });
    expectTypeOf(auth.verify<'toopher'>)
      .parameter(1)
      .toEqualTypeOf<ToopherCredential>();
    // @ts-expect-error: the request id is the server's, kept with the challenge.
    void (() => auth.verify('toopher', { authenticationRequestId: 'r1' }));
    // @ts-expect-error: so is the iframe's request token.
    void (() => auth.verify('toopher', { challengeId: 'c', postback: '', requestToken: 't' }));
  });
});
