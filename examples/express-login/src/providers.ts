import type { AnyAuthProvider } from '@authbridge/core';
import { pi } from '@authbridge/pi';

/**
 * Which providers the server offers, and with which keys. This is the only place that names providers:
 * a provider with no settings is simply not offered.
 */
export interface ProviderSettings {
  pi?: { apiKey: string; baseUrl?: string };
}

/** The configured providers, in the order the page lists them. */
export function buildProviders(settings: ProviderSettings): AnyAuthProvider[] {
  const providers: AnyAuthProvider[] = [];
  if (settings.pi) providers.push(pi(settings.pi));
  return providers;
}

/** Every configured secret, for the error path's last-line scrub. */
export function secretsOf(settings: ProviderSettings): string[] {
  return [settings.pi?.apiKey].filter((value): value is string => typeof value === 'string');
}

/**
 * Settings from the environment: a provider is offered when its key is set; `<PROVIDER>_BASE_URL` points it
 * at an emulator or a proxy.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv): ProviderSettings {
  const baseUrl = (name: string) => (env[name] ? { baseUrl: env[name] } : {});
  return {
    ...(env.PI_API_KEY ? { pi: { apiKey: env.PI_API_KEY, ...baseUrl('PI_BASE_URL') } } : {}),
  };
}
