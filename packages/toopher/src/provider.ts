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
  InvalidCredentialError,
  TimeoutError,
} from '@authbridge/core';
import { createToopherApi, type ToopherApi, type ToopherApiOptions, type ToopherParameters } from './api.js';
import { type PostbackInput, type ToopherIframe, toopherIframe } from './iframe.js';
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
  /** More `authentication_requests/initiate` parameters. */
  extras?: ToopherParameters;
};

/** What `verify` accepts: a request id to wait for, or the iframe's postback. */
export type ToopherCredential =
  | { authenticationRequestId: string }
  | { postback: PostbackInput /** The request token the iframe URL was made with. */; requestToken?: string };

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

const REQUEST_ID = /^[A-Za-z0-9._~-]{1,128}$/;

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
 * Errors: `ERR_CONFIG` for a missing key or secret, a bad base URL, timeout or poll option.
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

  async function poll(id: string, signal: AbortSignal | undefined): Promise<ToopherAuthenticationRequest> {
    const started = Date.now();
    let wait = interval;
    for (;;) {
      const request = await api.advanced.authenticationRequests.getById(id, { signal });
      if (!request.pending) return request;
      const left = deadline - (Date.now() - started);
      if (left <= 0) {
        throw new TimeoutError(`The Toopher authentication request was not answered within ${deadline} ms.`, {
          provider: 'toopher',
        });
      }
      await sleep(Math.min(wait, left), signal);
      wait = Math.min(wait * 1.5, maxInterval);
    }
  }

  return {
    id: 'toopher',
    api,
    iframe,
    /**
     * Starts an authentication request; `Challenge.id` is its id, to pass to `verify`.
     *
     * Errors: `ERR_CONFIG` when neither or both of `username` / `pairingId` are given; otherwise as
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
        extras: { ...extras, ...input.extras },
        signal: callOptions.signal,
      });
      return { provider: 'toopher', id: request.id, data: { authenticationRequest: request } };
    },
    /**
     * Resolves when the user granted the request (polling with backoff until `poll.deadline`), or
     * validates an iframe postback.
     *
     * Errors: `ERR_CREDENTIAL_MALFORMED` for a credential of neither shape or a bad id;
     * `ERR_CREDENTIAL_REJECTED` when denied (or timed out at Toopher); `ERR_TIMEOUT` past the deadline
     * or on a hung request; `ERR_ABORTED`; `ERR_PROVIDER_*`; for postbacks also
     * `ERR_CREDENTIAL_SIGNATURE`, `ERR_CREDENTIAL_EXPIRED`, `ERR_CREDENTIAL_AUDIENCE`.
     *
     * @example
     * ```ts
     * const { subject } = await provider.verify({ postback: req.body, requestToken: session.toopherToken });
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
        return resultOf(await poll(id, signal));
      }
      if (credential && typeof credential === 'object' && 'postback' in credential) {
        const result = iframe.processPostback(credential.postback, {
          requestToken: credential.requestToken,
          ttl: postbackTtl,
        });
        if (result.resourceType !== 'authentication_request') {
          throw new InvalidCredentialError(
            'ERR_CREDENTIAL_MALFORMED',
            `The Toopher postback is a ${result.resourceType}, not an authentication request.`,
            { provider: 'toopher' },
          );
        }
        return resultOf(result.authenticationRequest);
      }
      throw new InvalidCredentialError(
        'ERR_CREDENTIAL_MALFORMED',
        'A Toopher credential is { authenticationRequestId } or { postback }.',
        { provider: 'toopher' },
      );
    },
  };
}
