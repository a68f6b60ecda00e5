import type { AnyAuthProvider } from '@authbridge/core';
import { magic } from '@authbridge/magic';
import { pi } from '@authbridge/pi';
import { picket } from '@authbridge/picket';
import { toopher } from '@authbridge/toopher';

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
 * Where a provider's credential names the challenge it answers. A Toopher request id alone would let
 * anyone who saw it finish the login, so the server accepts only the one this browser started.
 */
export const challengeIdOf = {
  toopher: (credential: unknown) =>
    (credential as { authenticationRequestId?: unknown } | null)?.authenticationRequestId,
} as const;

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
