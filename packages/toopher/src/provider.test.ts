import { createMemoryStore, type KeyValueStore } from '@authbridge/core';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { P1, P1_SIG } from './postback-p1.fixture.js';
import { type ToopherOptions, toopher } from './provider.js';

const BASE = 'https://api.toopher.test/v1';
const user = { id: 'u1', name: 'jdoe', toopher_authentication_enabled: true };
const requestJson = (id: string, state: { pending: boolean; granted: boolean }) => ({
  id,
  ...state,
  automated: false,
  reason: '',
  reason_code: 0,
  terminal: { id: 't1', name: 'term', requester_specified_id: 'rs', user },
  user,
  action: { id: 'a1', name: 'Log In' },
});

/** A fetch that answers every GET of an authentication request from `answer`, and records when. */
function stubFetch(answer: (call: number) => { pending: boolean; granted: boolean }, id = 'r1') {
  const calls: { at: number; url: string }[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push({ at: Date.now(), url });
    return new Response(JSON.stringify(requestJson(id, answer(calls.length))), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, calls };
}

const P1_DATA = `${new URLSearchParams(P1).toString()}&toopher_sig=${encodeURIComponent(P1_SIG)}`;
/** The provider for the spec's P1 postback: its secret, and a clock at its timestamp. */
const p1Provider = (extra: Partial<ToopherOptions> = {}) =>
  toopher({ consumerKey: 'abcdefg', consumerSecret: 'hijklmnop', now: () => 1_000_000, ...extra });

afterEach(() => {
  vi.useRealTimers();
});

describe('verify with a postback: bound to the session and the user', () => {
  it("refuses a postback without the session's request token (ERR_CONFIG)", async () => {
    const provider = p1Provider();
    for (const requestToken of [undefined, '']) {
      const credential = { postback: P1_DATA, requestToken } as never;
      expect(await errorOf(provider.verify(credential))).toMatchObject({ code: 'ERR_CONFIG' });
    }
    expect(await provider.verify({ postback: P1_DATA, requestToken: 's9s7vsb' })).toMatchObject({
      subject: '1',
      username: 'user name',
    });
  });

  it('a missing postback (req.body without a body parser) is ERR_CREDENTIAL_MALFORMED, not a TypeError', async () => {
    const provider = p1Provider();
    for (const postback of [undefined, null]) {
      const error = await errorOf(provider.verify({ postback, requestToken: 's9s7vsb' } as never));
      expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_MALFORMED', provider: 'toopher' });
      expect((error as Error).message).toContain('body parser');
    }
  });

  it('a postback made for another session is ERR_CREDENTIAL_AUDIENCE', async () => {
    expect(
      await errorOf(p1Provider().verify({ postback: P1_DATA, requestToken: 'another-session' })),
    ).toMatchObject({ code: 'ERR_CREDENTIAL_AUDIENCE' });
  });

  it("the postback's signed user must be the expected one when the app names it", async () => {
    const provider = p1Provider();
    const ok = { postback: P1_DATA, requestToken: 's9s7vsb' };
    await expect(provider.verify({ ...ok, username: 'user name', userId: '1' })).resolves.toMatchObject({
      subject: '1',
    });
    for (const expected of [
      { username: 'mallory' },
      { userId: '2' },
      { username: 'user name', userId: '2' },
    ]) {
      expect(await errorOf(provider.verify({ ...ok, ...expected }))).toMatchObject({
        code: 'ERR_CREDENTIAL_AUDIENCE',
      });
    }
  });
});

describe('verify with a replay store: each authentication request once', () => {
  it('without a store a granted postback verifies again (toopher-python parity)', async () => {
    const provider = p1Provider();
    const credential = { postback: P1_DATA, requestToken: 's9s7vsb' };
    await provider.verify(credential);
    await expect(provider.verify(credential)).resolves.toMatchObject({ subject: '1' });
  });

  it('a postback is accepted once; its request id is then refused too', async () => {
    const replayStore = createMemoryStore();
    const { fetch } = stubFetch(() => ({ pending: false, granted: true }), '1');
    const provider = p1Provider({ replayStore, baseUrl: BASE, fetch, retry: false });
    const credential = { postback: P1_DATA, requestToken: 's9s7vsb' };
    await expect(provider.verify(credential)).resolves.toMatchObject({ subject: '1' });
    expect(await errorOf(provider.verify(credential))).toMatchObject({ code: 'ERR_CREDENTIAL_REPLAYED' });
    expect(await errorOf(provider.verify({ authenticationRequestId: '1' }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
  });

  it('a granted request id is accepted once', async () => {
    const { fetch, calls } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      replayStore: createMemoryStore(),
    });
    await expect(provider.verify({ authenticationRequestId: 'r1' })).resolves.toMatchObject({
      subject: 'u1',
    });
    expect(await errorOf(provider.verify({ authenticationRequestId: 'r1' }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
    expect(calls).toHaveLength(2);
  });

  it('a forged, denied or wrong-user credential does not use up the request', async () => {
    const replayStore = createMemoryStore();
    const provider = p1Provider({ replayStore });
    const forged = P1_DATA.replace(encodeURIComponent(P1_SIG), 'AAAA');
    expect(await errorOf(provider.verify({ postback: forged, requestToken: 's9s7vsb' }))).toMatchObject({
      code: 'ERR_CREDENTIAL_SIGNATURE',
    });
    expect(
      await errorOf(provider.verify({ postback: P1_DATA, requestToken: 's9s7vsb', username: 'mallory' })),
    ).toMatchObject({ code: 'ERR_CREDENTIAL_AUDIENCE' });
    let answer = { pending: false, granted: false };
    const { fetch } = stubFetch(() => answer, '1');
    const polled = p1Provider({ replayStore, baseUrl: BASE, fetch, retry: false });
    expect(await errorOf(polled.verify({ authenticationRequestId: '1' }))).toMatchObject({
      code: 'ERR_CREDENTIAL_REJECTED',
    });
    answer = { pending: false, granted: true };
    await expect(polled.verify({ authenticationRequestId: '1' })).resolves.toMatchObject({ subject: 'u1' });
  });

  it('records for 24 hours by default, never less than the postback TTL; a failing store fails closed', async () => {
    const ttls: number[] = [];
    const spy: KeyValueStore = {
      ...createMemoryStore(),
      setIfAbsent: async (_key, _value, ttlMs) => {
        ttls.push(ttlMs);
        return true;
      },
    };
    const credential = { postback: P1_DATA, requestToken: 's9s7vsb' };
    await p1Provider({ replayStore: spy }).verify(credential);
    await p1Provider({ replayStore: spy, replayTtl: 1000, postbackTtl: 600 }).verify(credential);
    expect(ttls).toEqual([24 * 60 * 60 * 1000, 600_000]);
    const broken: KeyValueStore = {
      ...createMemoryStore(),
      setIfAbsent: () => Promise.reject(new Error('connection refused')),
    };
    expect(await errorOf(p1Provider({ replayStore: broken }).verify(credential))).toMatchObject({
      code: 'ERR_STORE',
    });
    expect(() => p1Provider({ replayTtl: 0 })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });
});

describe('verify with a request id: polling', () => {
  it("refuses '.' and '..' before any request", async () => {
    const { fetch, calls } = stubFetch(() => ({ pending: false, granted: true }));
    const provider = toopher({ consumerKey: 'k', consumerSecret: 's', baseUrl: BASE, fetch });
    for (const id of ['.', '..', '', 'a/b']) {
      expect(await errorOf(provider.verify({ authenticationRequestId: id }))).toMatchObject({
        code: 'ERR_CREDENTIAL_MALFORMED',
      });
    }
    expect(calls).toHaveLength(0);
  });

  it('waits 1 s, then ×1.5 each poll up to 5 s, and times out at the deadline (fake timers)', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { fetch, calls } = stubFetch(() => ({ pending: true, granted: false }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      retry: false,
      poll: { deadline: 20_000 },
    });
    const outcome = errorOf(provider.verify({ authenticationRequestId: 'r1' }));
    await vi.runAllTimersAsync();
    expect(await outcome).toMatchObject({ code: 'ERR_TIMEOUT', provider: 'toopher' });
    // Waits 1000, 1500, 2250, 3375, then the 5000 cap; the last wait is cut to the deadline.
    expect(calls.map((call) => call.at)).toEqual([0, 1000, 2500, 4750, 8125, 13_125, 18_125, 20_000]);
  });

  it('stops polling as soon as the request is answered, with the configured schedule', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { fetch, calls } = stubFetch((call) => ({ pending: call < 4, granted: call >= 4 }));
    const provider = toopher({
      consumerKey: 'k',
      consumerSecret: 's',
      baseUrl: BASE,
      fetch,
      poll: { interval: 200, maxInterval: 300, deadline: 60_000 },
    });
    const result = provider.verify({ authenticationRequestId: 'r1' });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toMatchObject({ subject: 'u1' });
    expect(calls.map((call) => call.at)).toEqual([0, 200, 500, 800]);
  });

  it('measures the deadline with the injected clock, not Date.now', async () => {
    let clock = 0;
    const { fetch, calls } = stubFetch(() => {
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
    // The real clock barely moves; the injected one passes the 120 s deadline on the first poll.
    expect(await errorOf(provider.verify({ authenticationRequestId: 'r1' }))).toMatchObject({
      code: 'ERR_TIMEOUT',
    });
    expect(calls).toHaveLength(1);
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
