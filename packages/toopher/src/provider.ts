/**
 * `toopher(...)`: Toopher as an authbridge second factor. `createChallenge` starts an authentication
 * request and `createIframeChallenge` signs an iframe URL; each keeps what it issued on the server,
 * and `verify` takes the client's challenge id (and postback) and waits for, or checks, the answer.
 */
import {
  AbortedError,
  type AuthResult,
  bytesToBase64Url,
  type CallOptions,
  type Challenge,
  type ChallengeProvider,
  ConfigurationError,
  challengeAnswerOf,
  createChallengeStore,
  InvalidArgumentError,
  InvalidCredentialError,
  type KeyValueStore,
  replaySkewOf,
  TimeoutError,
} from '@authbridge/core';
import { createToopherApi, type ToopherApi, type ToopherApiOptions, type ToopherParameters } from './api.js';
import { parseToopherCredential } from './credential.js';
import {
  DEFAULT_IFRAME_TTL,
  type IframeParameter,
  type PostbackInput,
  type ToopherIframe,
  toopherIframe,
} from './iframe.js';
import { recordRequestOnce } from './replay.js';
import type { ToopherAuthenticationRequest } from './wire.js';

/** How `verify` polls an authentication request. */
export interface PollOptions {
  /** First wait between polls, in ms. Default 1000. */
  interval?: number;
  /** Upper bound of the wait, which grows by half each poll. Default 5000. */
  maxInterval?: number;
  /** Give up after this many ms with `ERR_TIMEOUT`. Default 120000. */
  deadline?: number;
}

/** Options of {@link toopher}. */
export interface ToopherOptions extends ToopherApiOptions {
  poll?: PollOptions;
  /** Seconds an iframe postback stays valid. Default 300. */
  postbackTtl?: number;
  /**
   * Accept each authentication request once: `verify` records the request id of every granted
   * request (from a request id or a postback) and refuses it after that with
   * `ERR_CREDENTIAL_REPLAYED`. Use `createMemoryStore()` on one instance, `@authbridge/redis` on many.
   */
  replayStore?: KeyValueStore;
  /**
   * How long a used request id is remembered, in ms, at least. Default 24 hours. A granted request
   * stays granted at Toopher; a postback record is kept at least until the postback's own TTL ends.
   * Each record lives `replaySkewMs` longer than that.
   */
  replayTtl?: number;
  /**
   * Clock-skew margin of replay records, in ms: each record outlives its credential by this much, so
   * that an instance whose clock is behind by less than it still refuses a replay. Default
   * `DEFAULT_REPLAY_SKEW_MS` (five minutes).
   */
  replaySkewMs?: number;
  /**
   * Where challenges live until `verify` takes them back: the request id, user and terminal of
   * `createChallenge`, the request token and user of `createIframeChallenge`. Default: a memory store
   * of this process. An app on several instances must pass a store they share (`@authbridge/redis`),
   * or a login that starts on one instance and finishes on another is `ERR_CREDENTIAL_CHALLENGE`.
   */
  challengeStore?: KeyValueStore;
  /** How long a challenge is accepted, in ms. Default five minutes. */
  challengeTtlMs?: number;
}

/** Who to authenticate, from where, for what. Exactly one of `username` and `pairingId`. */
export type ToopherChallengeInput = (
  | { username: string; pairingId?: never }
  | { pairingId: string; username?: never }
) & {
  /** The terminal's display name, or its name and the app's own id for it. */
  terminal?: string | { name?: string; requesterSpecifiedId?: string };
  /** What the user is asked to allow. Toopher's default is "Log In". */
  action?: string;
  /**
   * More `authentication_requests/initiate` parameters (`challenge_required`, `automation_allowed`,
   * ...). Never the user, terminal or action: those come from the fields above only, so that extras
   * taken from a less trusted source cannot redirect the request to another user or terminal.
   */
  extras?: ToopherParameters;
};

/** Input of `createIframeChallenge`: whose iframe, and what the page asks. */
export interface ToopherIframeChallengeInput {
  /** The Toopher user name, from the session of the first factor. */
  username: string;
  /** What the user is asked to allow. Default `'Log In'`. */
  action?: string;
  /** Where Toopher may send a reset link. */
  resetEmail?: string;
  /** Opaque data the page echoes in the postback. */
  requesterMetadata?: string;
  /** Seconds the URL stays valid. Default 300. */
  ttl?: number;
  /** Extra URL parameters (`allow_inline_pairing`, `automation_allowed`, `challenge_required`, ...). */
  extras?: Record<string, IframeParameter>;
}

/** `Challenge.data` of an iframe challenge. */
export interface ToopherIframeChallengeData {
  /** The signed URL for `<iframe id="toopher_iframe" src=…>`. */
  url: string;
  username: string;
}

/** `Challenge.data` of a push challenge: the request Toopher started, for the server's own use. */
export interface ToopherChallengeData {
  authenticationRequest: ToopherAuthenticationRequest;
}

/**
 * What `verify` takes from the client: the id of a challenge this server issued, and for an iframe
 * challenge the page's postback. The request id, user, terminal and request token stay on the server.
 */
export interface ToopherCredential {
  challengeId: string;
  /** The iframe's postback (`req.body`, `FormData`, ...), for a challenge of `createIframeChallenge`. */
  postback?: PostbackInput;
}

/** What the server keeps per challenge. */
type ToopherChallengeState =
  | {
      flow: 'push';
      authenticationRequestId: string;
      userId: string;
      username: string;
      terminal: { name: string; requesterSpecifiedId: string };
    }
  | { flow: 'iframe'; requestToken: string; username: string };

/** The claims of a Toopher result: the finished authentication request. */
export interface ToopherClaims {
  authenticationRequest: ToopherAuthenticationRequest;
}

/** The Toopher provider. */
export interface ToopherProvider
  extends ChallengeProvider<
    'toopher',
    ToopherCredential,
    ToopherClaims,
    ToopherChallengeInput,
    ToopherChallengeData
  > {
  /** Untrusted input as a {@link ToopherCredential}, or `ERR_CREDENTIAL_MALFORMED` (see `parseToopherCredential`). */
  parseCredential(input: unknown): ToopherCredential;
  /**
   * Signs an iframe URL for `username` with a fresh request token, and keeps the token and user on the
   * server under the challenge id. The client sends back `{ challengeId, postback }`.
   *
   * Errors: `ERR_CONFIG` for a missing username, a bad `ttl` or an extra that collides with a URL
   * parameter; `ERR_STORE` when the challenge store fails.
   *
   * @example
   * ```ts
   * const challenge = await provider.createIframeChallenge({ username: session.username });
   * session.toopherChallenge = challenge.id; // and render <iframe src="${challenge.data.url}">
   * ```
   */
  createIframeChallenge(
    input: ToopherIframeChallengeInput,
    options?: CallOptions,
  ): Promise<Challenge<'toopher', ToopherIframeChallengeData>>;
  /** The full API client, with the same credentials and HTTP options. */
  readonly api: ToopherApi;
  /** The iframe helper, with the same credentials and base URL. */
  readonly iframe: ToopherIframe;
}

const DEFAULT_REPLAY_TTL = 24 * 60 * 60 * 1000;
/**
 * The `initiate` parameters `createChallenge` sets from its own fields, with the older names Toopher
 * also accepts (`terminal_name_extra`, `terminal_id`, `action`). `api.authenticate` lets extras
 * override everything, as the SDKs do; the provider refuses them instead.
 */
const OWN_PARAMETERS = [
  'user_name',
  'pairing_id',
  'terminal_name',
  'requester_specified_terminal_id',
  'terminal_name_extra',
  'terminal_id',
  'action_name',
  'action',
] as const;

function malformed(message: string): never {
  throw new InvalidCredentialError('ERR_CREDENTIAL_MALFORMED', message, { provider: 'toopher' });
}

function requireUsername(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError('A Toopher iframe challenge needs a username.', { provider: 'toopher' });
  }
  return value;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`The Toopher ${name} must be a positive number.`, { provider: 'toopher' });
  }
  return value;
}

/** Waits `ms`, or rejects with ERR_ABORTED as soon as `signal` fires. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(
        new AbortedError('The Toopher verification was aborted by the caller.', {
          provider: 'toopher',
          cause: signal?.reason,
        }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}

function resultOf(request: ToopherAuthenticationRequest): AuthResult<'toopher', ToopherClaims> {
  if (request.pending || !request.granted) {
    throw new InvalidCredentialError(
      'ERR_CREDENTIAL_REJECTED',
      `The Toopher authentication request was not granted${request.reason ? `: ${request.reason}` : '.'}`,
      {
        provider: 'toopher',
        providerCode: String(request.reasonCode),
      },
    );
  }
  return {
    provider: 'toopher',
    subject: request.user.id,
    username: request.user.name,
    claims: { authenticationRequest: request },
  };
}

/**
 * Creates the Toopher provider. Its challenges (`createChallenge`, `createIframeChallenge`) keep what
 * they issued in `challengeStore`; `verify` takes the client's `{ challengeId, postback? }` only.
 *
 * Errors: `ERR_CONFIG` for a missing key or secret, a bad base URL, timeout, poll, replayTtl,
 * replaySkewMs or challengeTtlMs option.
 *
 * @example
 * ```ts
 * const provider = toopher({ consumerKey, consumerSecret, challengeStore: redisStore });
 * const challenge = await provider.createChallenge({ username: session.username, terminal: 'Chrome on Mac' });
 * const result = await provider.verify({ challengeId: challenge.id }); // waits for the phone
 * ```
 */
export function toopher(options: ToopherOptions): ToopherProvider {
  const api = createToopherApi(options);
  const iframe = toopherIframe(options);
  const interval = positive(options.poll?.interval ?? 1000, 'poll interval');
  const maxInterval = positive(options.poll?.maxInterval ?? 5000, 'poll maxInterval');
  const deadline = positive(options.poll?.deadline ?? 120_000, 'poll deadline');
  const postbackTtl = options.postbackTtl;
  const now = options.now ?? Date.now;
  const replayStore = options.replayStore;
  const replayTtl = positive(options.replayTtl ?? DEFAULT_REPLAY_TTL, 'replayTtl');
  const replaySkewMs = replaySkewOf(options.replaySkewMs, 'toopher');
  const challenges = createChallengeStore<ToopherChallengeState>({
    provider: 'toopher',
    store: options.challengeStore,
    ttlMs: options.challengeTtlMs,
    now,
  });

  async function poll(id: string, signal: AbortSignal | undefined): Promise<ToopherAuthenticationRequest> {
    const started = now();
    let wait = interval;
    for (;;) {
      const request = await api.advanced.authenticationRequests.getById(id, { signal });
      if (!request.pending) return request;
      const left = deadline - (now() - started);
      if (left <= 0) {
        throw new TimeoutError(`The Toopher authentication request was not answered within ${deadline} ms.`, {
          provider: 'toopher',
        });
      }
      await sleep(Math.min(wait, left), signal);
      wait = Math.min(wait * 1.5, maxInterval);
    }
  }

  /**
   * How long the replay record of a granted request lives: `replayTtl`, or for a postback until its TTL
   * ends if that is later (a postback whose timestamp is ahead of this clock lives longer), plus the
   * skew margin.
   */
  function replayRecordTtl(request: ToopherAuthenticationRequest, fromPostback: boolean): number {
    if (!fromPostback) return replayTtl + replaySkewMs;
    const timestamp = Number(request.raw.timestamp);
    const postbackEnds = (timestamp + (postbackTtl ?? DEFAULT_IFRAME_TTL)) * 1000 - now();
    // A signed timestamp far ahead keeps the postback valid that long; the store takes a finite TTL.
    return Math.min(Math.max(replayTtl, postbackEnds) + replaySkewMs, Number.MAX_SAFE_INTEGER - now());
  }

  /** The checks after the request's own: the challenge's user, granted, then used once. */
  async function accept(
    request: ToopherAuthenticationRequest,
    state: ToopherChallengeState,
  ): Promise<AuthResult<'toopher', ToopherClaims>> {
    const push = state.flow === 'push';
    if (
      request.user.name !== state.username ||
      (push &&
        (request.id !== state.authenticationRequestId ||
          request.user.id !== state.userId ||
          (state.terminal.requesterSpecifiedId !== '' &&
            request.terminal.requesterSpecifiedId !== state.terminal.requesterSpecifiedId)))
    ) {
      throw new InvalidCredentialError(
        'ERR_CREDENTIAL_AUDIENCE',
        'The Toopher authentication request is for another user or terminal than the challenge.',
        { provider: 'toopher' },
      );
    }
    const result = resultOf(request);
    if (replayStore) await recordRequestOnce(replayStore, request.id, replayRecordTtl(request, !push));
    return result;
  }

  /** Polls the challenge's request (peeking, so a poll can be repeated), then spends the challenge. */
  async function verifyPush(challengeId: unknown, signal: AbortSignal | undefined) {
    const state = await challenges.peek(challengeId);
    if (state.flow !== 'push') malformed('This Toopher challenge is answered with the iframe postback.');
    const request = await poll(state.authenticationRequestId, signal);
    // The answer is final: of concurrent verifications, the one that takes the challenge logs in.
    await challenges.consume(challengeId);
    return accept(request, state);
  }

  /** Takes the challenge first, then checks the postback against the request token it holds. */
  async function verifyPostback(challengeId: unknown, postback: PostbackInput) {
    const state = await challenges.consume(challengeId);
    if (state.flow !== 'iframe')
      malformed('This Toopher challenge is answered on the phone, not with an iframe postback.');
    const result = iframe.processPostback(postback, { requestToken: state.requestToken, ttl: postbackTtl });
    if (result.resourceType !== 'authentication_request') {
      malformed(`The Toopher postback is a ${result.resourceType}, not an authentication request.`);
    }
    return accept(result.authenticationRequest, state);
  }

  return {
    id: 'toopher',
    parseCredential: parseToopherCredential,
    api,
    iframe,
    /**
     * Starts an authentication request and keeps its id, user and terminal on the server;
     * `Challenge.id` is the challenge id the client sends back as `{ challengeId }`.
     *
     * Errors: `ERR_CONFIG` when neither or both of `username` / `pairingId` are given;
     * `ERR_INVALID_ARGUMENT` when `extras` holds a parameter the provider sets itself (`user_name`,
     * `pairing_id`, `terminal_name`, `requester_specified_terminal_id`, `terminal_name_extra`,
     * `terminal_id`, `action_name`, `action`); `ERR_STORE` when the challenge store fails; otherwise as
     * `api.authenticate` (`ERR_PROVIDER_CONFLICT` with `providerCode` `'704'`-`'708'` or `'601'`, ...).
     *
     * @example
     * ```ts
     * const challenge = await provider.createChallenge({ pairingId, terminal: { name: 'Laptop', requesterSpecifiedId: deviceId } });
     * ```
     */
    async createChallenge(
      input: ToopherChallengeInput,
      callOptions: CallOptions = {},
    ): Promise<Challenge<'toopher', ToopherChallengeData>> {
      const who = input.username ?? input.pairingId;
      if (
        typeof who !== 'string' ||
        who === '' ||
        (input.username !== undefined && input.pairingId !== undefined)
      ) {
        throw new ConfigurationError('A Toopher challenge needs exactly one of username and pairingId.', {
          provider: 'toopher',
        });
      }
      const ownInExtras = OWN_PARAMETERS.filter((name) => input.extras && Object.hasOwn(input.extras, name));
      if (ownInExtras.length > 0) {
        throw new InvalidArgumentError(
          `Toopher challenge extras cannot set ${ownInExtras.join(', ')}: use username, pairingId, terminal and action.`,
          { provider: 'toopher' },
        );
      }
      const terminal = typeof input.terminal === 'string' ? { name: input.terminal } : (input.terminal ?? {});
      // A username that looks like a UUID would otherwise be sent as a pairing id.
      const extras: ToopherParameters =
        input.username !== undefined
          ? { pairing_id: undefined, user_name: input.username }
          : { pairing_id: input.pairingId, user_name: undefined };
      const request = await api.authenticate(who, {
        terminalName: terminal.name,
        requesterSpecifiedId: terminal.requesterSpecifiedId,
        actionName: input.action,
        extras: { ...input.extras, ...extras },
        signal: callOptions.signal,
      });
      const issued = await challenges.issue({
        flow: 'push',
        authenticationRequestId: request.id,
        userId: request.user.id,
        username: request.user.name,
        terminal: {
          name: request.terminal.name,
          requesterSpecifiedId: terminal.requesterSpecifiedId ?? '',
        },
      });
      return {
        provider: 'toopher',
        id: issued.id,
        expiresAt: issued.expiresAt,
        data: { authenticationRequest: request },
      };
    },
    async createIframeChallenge(input) {
      const username = requireUsername(input?.username);
      const requestToken = bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      const url = iframe.getAuthenticationUrl(username, {
        requestToken,
        ...(input.action === undefined ? {} : { actionName: input.action }),
        ...(input.resetEmail === undefined ? {} : { resetEmail: input.resetEmail }),
        ...(input.requesterMetadata === undefined ? {} : { requesterMetadata: input.requesterMetadata }),
        ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
        ...(input.extras === undefined ? {} : { extras: input.extras }),
      });
      const issued = await challenges.issue({ flow: 'iframe', requestToken, username });
      return { provider: 'toopher', id: issued.id, expiresAt: issued.expiresAt, data: { url, username } };
    },
    /**
     * Resolves when the user granted the challenge's request (polling with backoff until
     * `poll.deadline`), or validates the iframe postback against the challenge's request token and user.
     * A push challenge is only peeked while the request is pending, so `verify` may be called again
     * after `ERR_TIMEOUT`; it is spent on the final answer, so a granted request logs in once. An iframe
     * challenge is spent before the postback is read.
     *
     * Errors: `ERR_CREDENTIAL_MALFORMED` for a credential of another shape (the old
     * `{ authenticationRequestId }` and `{ postback, requestToken }` included) or the wrong answer for
     * the challenge's flow; `ERR_CREDENTIAL_CHALLENGE` for a challenge id that is unknown, expired or
     * used; `ERR_CREDENTIAL_REJECTED` when denied (or timed out at Toopher); `ERR_CREDENTIAL_AUDIENCE`
     * when the request or postback is another user's or terminal's, or `session_token` is not the
     * challenge's; `ERR_CREDENTIAL_REPLAYED` when a `replayStore` already holds the request; `ERR_STORE`;
     * `ERR_TIMEOUT` past the deadline or on a hung request; `ERR_ABORTED`; `ERR_PROVIDER_*`; for
     * postbacks also `ERR_CREDENTIAL_SIGNATURE` and `ERR_CREDENTIAL_EXPIRED`.
     *
     * @example
     * ```ts
     * const { subject } = await provider.verify({ challengeId: session.toopherChallenge, postback: req.body });
     * ```
     */
    async verify(
      credential: ToopherCredential,
      callOptions: CallOptions = {},
    ): Promise<AuthResult<'toopher', ToopherClaims>> {
      const signal = callOptions.signal;
      if (signal?.aborted)
        throw new AbortedError('The Toopher verification was aborted by the caller.', {
          provider: 'toopher',
          cause: signal.reason,
        });
      // The fields of the credential before challenges were kept on the server
      // (`authenticationRequestId`, `requestToken`, `username`, `userId`) are refused.
      const { challengeId, postback } = challengeAnswerOf(credential, {
        provider: 'toopher',
        answerFields: ['postback'],
        shape: '{ challengeId } or { challengeId, postback }',
      });
      return postback === undefined
        ? verifyPush(challengeId, signal)
        : verifyPostback(challengeId, postback as PostbackInput);
    },
  };
}
