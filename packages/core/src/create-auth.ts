import { ConfigurationError } from './errors.js';
import type { AnyAuthProvider, Auth, CallOptions } from './provider.js';

/** Options of {@link createAuth}. */
export interface CreateAuthOptions<P extends AnyAuthProvider> {
  providers: readonly P[];
}

/**
 * A registry for apps that offer several providers. The credential type of `verify` follows the id.
 *
 * Errors: `ERR_CONFIG`, thrown by `createAuth` for duplicate provider ids; as a rejection of `verify`,
 * `createChallenge` or `logout` for an unknown id or a provider without that step; otherwise whatever
 * the provider rejects with. These calls never throw synchronously; `parseCredential` does (it is
 * synchronous): `ERR_CREDENTIAL_MALFORMED`, or `ERR_CONFIG` as above.
 *
 * @example
 * ```ts
 * const auth = createAuth({ providers: [magic({ secretKey }), pi({ apiKey })] });
 * const user = await auth.verify('pi', accessToken); // accessToken: string
 * // A route whose provider id and credential are untrusted input:
 * if (!auth.has(params.provider)) return notFound();
 * const result = await auth.verify(params.provider, auth.parseCredential(params.provider, body.credential));
 * ```
 */
export function createAuth<const P extends AnyAuthProvider>(options: CreateAuthOptions<P>): Auth<P> {
  const byId = new Map<string, AnyAuthProvider>();
  for (const provider of options.providers) {
    if (byId.has(provider.id)) {
      throw new ConfigurationError(`Two providers are registered under the id '${provider.id}'.`);
    }
    byId.set(provider.id, provider);
  }
  const get = (id: string): AnyAuthProvider => {
    const provider = byId.get(id);
    if (!provider) {
      throw new ConfigurationError(
        `No provider is registered under the id '${id}'. Registered: ${[...byId.keys()].join(', ') || 'none'}.`,
      );
    }
    return provider;
  };
  const method = <M extends 'createChallenge' | 'logout'>(id: string, name: M) => {
    const provider = get(id) as AnyAuthProvider &
      Partial<Record<M, (...args: unknown[]) => Promise<unknown>>>;
    const fn = provider[name];
    if (typeof fn !== 'function') {
      throw new ConfigurationError(`The provider '${id}' has no ${name} step.`, { provider: id });
    }
    return fn.bind(provider);
  };
  return {
    ids: [...byId.keys()],
    get: (id) => get(id) as never,
    has: (id): id is P['id'] => byId.has(id),
    verify: async (id, credential, callOptions?: CallOptions) =>
      (await get(id).verify(credential, callOptions)) as never,
    parseCredential: (id, input) => {
      const provider = get(id);
      if (typeof provider.parseCredential !== 'function') {
        throw new ConfigurationError(`The provider '${id}' has no parseCredential.`, { provider: id });
      }
      return provider.parseCredential(input);
    },
    createChallenge: async (id, input, callOptions?: CallOptions) =>
      (await method(id, 'createChallenge')(input, callOptions)) as never,
    hasChallenge: (id): id is never =>
      typeof (byId.get(id) as { createChallenge?: unknown })?.createChallenge === 'function',
    logout: async (id, subject, callOptions?: CallOptions) => {
      await method(id, 'logout')(subject, callOptions);
    },
    hasLogout: (id): id is never => typeof (byId.get(id) as { logout?: unknown })?.logout === 'function',
  };
}
