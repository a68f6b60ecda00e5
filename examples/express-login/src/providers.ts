import type { AnyAuthProvider } from '@authbridge/core';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { type PicketChallengeInput, picket } from '@authbridge/picket';
import { type ToopherChallengeInput, toopher } from '@authbridge/toopher';
import type { ChallengeInputOf } from './app.js';
import { AppError } from './http-errors.js';

/**
 * Which providers the server offers, and with which keys. This is the only place that names providers:
 * a provider with no settings is simply not offered.
 */
export interface ProviderSettings {
  pi?: { apiKey: string; baseUrl?: string };
  magic?: { secretKey: string; baseUrl?: string };
  picket?: { apiKey: string; baseUrl?: string };
  toopher?: { consumerKey: string; consumerSecret: string; baseUrl?: string };
}

/** The configured providers, in the order the page lists them. */
export function buildProviders(settings: ProviderSettings): AnyAuthProvider[] {
  const providers: AnyAuthProvider[] = [];
  if (settings.pi) providers.push(pi(settings.pi));
  if (settings.magic) providers.push(magic(settings.magic));
  if (settings.picket) providers.push(picket(settings.picket));
  if (settings.toopher) providers.push(toopher(settings.toopher));
  return providers;
}

/**
 * Where a provider's credential names the challenge it answers. A Toopher challenge id alone would let
 * anyone who saw it finish the login, so the server accepts only the one this browser started.
 */
export const challengeIdOf = {
  toopher: (credential: unknown) => (credential as { challengeId?: unknown } | null)?.challengeId,
} as const;

/**
 * How each provider's challenge input is built: the allowed fields of the request body, the rest set by the
 * server. Anything else the client sends (a SIWE domain, a Toopher terminal, action or extras) is ignored.
 */
export const challengeInputs = {
  // The wallet is the client's to name: its signature over the nonce is what proves it. The page a SIWE
  // message names is the server's own origin, never what the client claims.
  picket: (body, { publicOrigin }): PicketChallengeInput => {
    const origin = new URL(publicOrigin);
    return {
      chain: stringField(body, 'chain'),
      walletAddress: stringField(body, 'walletAddress'),
      siwe: { domain: origin.host, uri: origin.origin },
    };
  },
  // Toopher is a second factor. The demo signs in with it alone, so it takes the username from the body;
  // a real app must take it from the session of the first factor (password, Magic, ...) instead, or anyone
  // can push requests to any user's phone and sign in as them once one is granted. The terminal is this
  // browser (see `ChallengeContext.browserId`): a client that could name one could claim a terminal the
  // user trusts, which Toopher may grant without asking.
  toopher: (body, { browserId }): ToopherChallengeInput => ({
    username: stringField(body, 'username'),
    terminal: { name: `Web browser ${browserId.slice(0, 8)}`, requesterSpecifiedId: browserId },
  }),
} satisfies Record<string, ChallengeInputOf>;

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || value.length > 256) {
    throw new AppError('ERR_BAD_REQUEST', 400, `Send ${name} as a non-empty string.`);
  }
  return value;
}

/** Every configured secret, for the error path's last-line scrub. */
export function secretsOf(settings: ProviderSettings): string[] {
  return [
    settings.pi?.apiKey,
    settings.magic?.secretKey,
    settings.picket?.apiKey,
    settings.toopher?.consumerKey,
    settings.toopher?.consumerSecret,
  ].filter((value): value is string => typeof value === 'string');
}

/**
 * Settings from the environment: a provider is offered when its key is set; `<PROVIDER>_BASE_URL` points it
 * at an emulator or a proxy.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv): ProviderSettings {
  const baseUrl = (name: string) => (env[name] ? { baseUrl: env[name] } : {});
  const { PI_API_KEY, MAGIC_SECRET_KEY, PICKET_API_KEY, TOOPHER_CONSUMER_KEY, TOOPHER_CONSUMER_SECRET } = env;
  return {
    ...(PI_API_KEY ? { pi: { apiKey: PI_API_KEY, ...baseUrl('PI_BASE_URL') } } : {}),
    ...(MAGIC_SECRET_KEY ? { magic: { secretKey: MAGIC_SECRET_KEY, ...baseUrl('MAGIC_BASE_URL') } } : {}),
    ...(PICKET_API_KEY ? { picket: { apiKey: PICKET_API_KEY, ...baseUrl('PICKET_BASE_URL') } } : {}),
    ...(TOOPHER_CONSUMER_KEY && TOOPHER_CONSUMER_SECRET
      ? {
          toopher: {
            consumerKey: TOOPHER_CONSUMER_KEY,
            consumerSecret: TOOPHER_CONSUMER_SECRET,
            ...baseUrl('TOOPHER_BASE_URL'),
          },
        }
      : {}),
  };
}
