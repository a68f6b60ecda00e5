/**
 * `toopher(...)`: Toopher as an authbridge second factor. `createChallenge` starts an authentication
 * request; `verify` waits for the user's answer, or validates an iframe postback.
 */
import {
  AbortedError,
  type AuthResult,
  type CallOptions,
  type Challenge,
  type ChallengeProvider,
  ConfigurationError,
  InvalidArgumentError,
  InvalidCredentialError,
  type KeyValueStore,
  TimeoutError,
} from '@authbridge/core';
import { createToopherApi, type ToopherApi, type ToopherApiOptions, type ToopherParameters } from './api.js';
import { DEFAULT_IFRAME_TTL, type PostbackInput, type ToopherIframe, toopherIframe } from './iframe.js';
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
   * How long a used request id is remembered, in ms. Default 24 hours. A granted request stays granted
   * at Toopher, so an id older than this could be verified again: also bind ids to the session that
   * started them. Never shorter than the postback TTL.
   */
  replayTtl?: number;
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

/**
 * Who the challenge was for, when the app knows: `verify` then refuses a request or postback for any
 * other user with `ERR_CREDENTIAL_AUDIENCE`.
 */
export interface ToopherExpectedUser {
  /** The Toopher user name the challenge or iframe URL was made for. */
  username?: string;
  /** The Toopher user id (`AuthResult.subject` of an earlier login). */
  userId?: string;
}

/** What `verify` accepts: a request id to wait for, or the iframe's postback. */
export type ToopherCredential =
  | ({ authenticationRequestId: string } & ToopherExpectedUser)
  | ({
      postback: PostbackInput;
      /**
       * The request token the iframe URL was made with, from the user's session. Required: without it
       * a postback captured from any other session would be accepted until its TTL ends.
       */
      requestToken: string;
    } & ToopherExpectedUser);

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
    { authenticationRequest: ToopherAuthenticationRequest }
  > {
  /** The full API client, with the same credentials and HTTP options. */
  readonly api: ToopherApi;
  /** The iframe helper, with the same credentials and base URL. */
  readonly iframe: ToopherIframe;
}

// `.` and `..` would make `authentication_requests/..` resolve to another endpoint.
const REQUEST_ID = /^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,128}$/;
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
 * Creates the Toopher provider.
 *
 * Errors: `ERR_CONFIG` for a missing key or secret, a bad base URL, timeout, poll or replayTtl option.
 *
 * @example
 * ```ts
 * const provider = toopher({ consumerKey, consumerSecret });
 * const challenge = await provider.createChallenge({ username: 'jdoe', terminal: 'Chrome on Mac' });
 * const result = await provider.verify({ authenticationRequestId: challenge.id }); // waits for the phone
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
  const replayTtl = Math.max(
    positive(options.replayTtl ?? DEFAULT_REPLAY_TTL, 'replayTtl'),
    (postbackTtl ?? DEFAULT_IFRAME_TTL) * 1000,
  );

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

  /** The checks after the request's own: the expected user, granted, then used once. */
  async function accept(
    request: ToopherAuthenticationRequest,
    expected: ToopherExpectedUser,
  ): Promise<AuthResult<'toopher', ToopherClaims>> {
    if (
      (expected.username !== undefined && request.user.name !== expected.username) ||
      (expected.userId !== undefined && request.user.id !== expected.userId)
    ) {
      throw new InvalidCredentialError(
        'ERR_CREDENTIAL_AUDIENCE',
        'The Toopher authentication request is for another user than the challenge.',
        { provider: 'toopher' },
      );
    }
    const result = resultOf(request);
    if (replayStore) await recordRequestOnce(replayStore, request.id, replayTtl);
    return result;
  }

  return {
    id: 'toopher',
    api,
    iframe,
    /**
     * Starts an authentication request; `Challenge.id` is its id, to pass to `verify`.
     *
     * Errors: `ERR_CONFIG` when neither or both of `username` / `pairingId` are given;
     * `ERR_INVALID_ARGUMENT` when `extras` holds a parameter the provider sets itself (`user_name`,
     * `pairing_id`, `terminal_name`, `requester_specified_terminal_id`, `terminal_name_extra`,
     * `terminal_id`, `action_name`, `action`); otherwise as
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
    ): Promise<Challenge<'toopher', { authenticationRequest: ToopherAuthenticationRequest }>> {
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
      return { provider: 'toopher', id: request.id, data: { authenticationRequest: request } };
    },
    /**
     * Resolves when the user granted the request (polling with backoff until `poll.deadline`), or
     * validates an iframe postback.
     *
     * Errors: `ERR_CREDENTIAL_MALFORMED` for a credential of neither shape or a bad id;
     * `ERR_CREDENTIAL_REJECTED` when denied (or timed out at Toopher); `ERR_CREDENTIAL_AUDIENCE` when
     * `username` / `userId` is given and the request is another user's; `ERR_CREDENTIAL_REPLAYED` when a
     * `replayStore` already holds the request; `ERR_STORE`; `ERR_TIMEOUT` past the deadline or on a hung
     * request; `ERR_ABORTED`; `ERR_PROVIDER_*`; for postbacks also `ERR_CONFIG` without a
     * `requestToken`, `ERR_CREDENTIAL_SIGNATURE`, `ERR_CREDENTIAL_EXPIRED`, and
     * `ERR_CREDENTIAL_AUDIENCE` when `session_token` is not the `requestToken`.
     *
     * @example
     * ```ts
     * const { subject } = await provider.verify({
     *   postback: req.body,
     *   requestToken: session.toopherToken,
     *   username: session.username,
     * });
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
      if (credential && typeof credential === 'object' && 'authenticationRequestId' in credential) {
        const id = credential.authenticationRequestId;
        if (typeof id !== 'string' || !REQUEST_ID.test(id)) {
          throw new InvalidCredentialError(
            'ERR_CREDENTIAL_MALFORMED',
            'The Toopher authentication request id is not valid.',
            { provider: 'toopher' },
          );
        }
        return accept(await poll(id, signal), credential);
      }
      if (credential && typeof credential === 'object' && 'postback' in credential) {
        const { requestToken } = credential;
        if (typeof requestToken !== 'string' || requestToken === '') {
          throw new ConfigurationError(
            "verify needs the postback's requestToken: the one the iframe URL was made with, from the user's session.",
            { provider: 'toopher' },
          );
        }
        const result = iframe.processPostback(credential.postback, { requestToken, ttl: postbackTtl });
        if (result.resourceType !== 'authentication_request') {
          throw new InvalidCredentialError(
            'ERR_CREDENTIAL_MALFORMED',
            `The Toopher postback is a ${result.resourceType}, not an authentication request.`,
            { provider: 'toopher' },
          );
        }
        return accept(result.authenticationRequest, credential);
      }
      throw new InvalidCredentialError(
        'ERR_CREDENTIAL_MALFORMED',
        'A Toopher credential is { authenticationRequestId } or { postback }.',
        { provider: 'toopher' },
      );
    },
  };
}
