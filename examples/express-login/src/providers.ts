import { createMemoryStore, InvalidArgumentError, type KeyValueStore } from '@authbridge/core';
import { type MagicProvider, magic } from '@authbridge/magic';
import { type PiProvider, pi } from '@authbridge/pi';
import { type PicketProvider, picket } from '@authbridge/picket';
import { type ToopherProvider, toopher } from '@authbridge/toopher';
import { type WalletProvider, wallet } from '@authbridge/wallet';
import { type ChallengeInputBuilders, createRateLimiter, type RateLimitHook } from '@authbridge/web';

/**
 * Which providers the server offers, and with which keys. This is the only place that names providers:
 * a provider with no settings is simply not offered. A new provider is one more entry here, one more
 * member of {@link DemoProvider}, and (with a challenge step) one more builder in {@link challengeInputs}.
 */
export interface ProviderSettings {
  pi?: { apiKey: string; baseUrl?: string };
  magic?: { secretKey: string; baseUrl?: string };
  picket?: { apiKey: string; baseUrl?: string };
  toopher?: { consumerKey: string; consumerSecret: string; baseUrl?: string };
  /**
   * Self-hosted wallet login (`@authbridge/wallet`): no service, no key. `origin` is the one users open
   * the site at: every message must name its host and origin. `chains` is the allow-list of
   * {@link WALLET_CHAINS} the server offers (default all of them).
   */
  wallet?: { origin: string; chains?: WalletChain[] };
}

/** The chains the demo's wallet login offers: Ethereum mainnet (SIWE) and Solana mainnet (SIWS). */
export const WALLET_CHAINS = ['eip155:1', 'solana:mainnet'] as const;
/** One of {@link WALLET_CHAINS}. */
export type WalletChain = (typeof WALLET_CHAINS)[number];

/** Every provider the demo can offer. */
export type DemoProvider = PiProvider | MagicProvider | PicketProvider | ToopherProvider | WalletProvider;

/**
 * Where one-time records live: which DID tokens and Toopher requests were already used, and the
 * server-held challenges. Memory serves one process; several instances share `@authbridge/redis`.
 */
export interface ProviderStores {
  replay: KeyValueStore;
  challenges: KeyValueStore;
}

/** The configured providers, in the order the page lists them, each with its replay protection on. */
export function buildProviders(
  settings: ProviderSettings,
  stores: ProviderStores = { replay: createMemoryStore(), challenges: createMemoryStore() },
): DemoProvider[] {
  const providers: DemoProvider[] = [];
  if (settings.pi) providers.push(pi(settings.pi));
  // A DID token is accepted once: a token copied from a log or a proxy cannot sign in again.
  if (settings.magic) providers.push(magic({ ...settings.magic, replayStore: stores.replay }));
  if (settings.picket) providers.push(picket({ ...settings.picket, challengeStore: stores.challenges }));
  // A granted Toopher request is accepted once, and its challenge lives on the server.
  if (settings.toopher) {
    providers.push(
      toopher({ ...settings.toopher, replayStore: stores.replay, challengeStore: stores.challenges }),
    );
  }
  // Its nonces live with the other challenges; each is taken back once, before any signature work.
  if (settings.wallet) {
    const origin = new URL(settings.wallet.origin);
    providers.push(
      wallet({
        domain: origin.host,
        uri: origin.origin,
        chains: [...(settings.wallet.chains ?? WALLET_CHAINS)],
        store: stores.challenges,
        statement: 'Sign in to the authbridge demo.',
      }),
    );
  }
  return providers;
}

/**
 * How each challenge provider's input is built on the server: the allowed fields of the request body,
 * the rest set by the server. Anything else the client sends (a SIWE domain, a Toopher terminal, action
 * or extras) is ignored.
 */
export const challengeInputs: ChallengeInputBuilders<DemoProvider, undefined> = {
  // The wallet is the client's to name: its signature over the nonce is what proves it. The page a SIWE
  // message names is the server's own origin, never what the client claims.
  picket: ({ body, origin }) => {
    const { host } = new URL(origin);
    return {
      chain: stringField(body, 'chain'),
      walletAddress: stringField(body, 'walletAddress'),
      siwe: { domain: host, uri: new URL(origin).origin },
    };
  },
  // Toopher is a second factor. The demo signs in with it alone, so it takes the username from the body;
  // a real app takes it from the session of the first factor (`session` here) instead, or anyone can
  // push requests to any user's phone and sign in as them once one is granted. The terminal is this
  // browser: a client that could name one could claim a terminal the user trusts, which Toopher may
  // grant without asking.
  toopher: ({ body, browserId }) => ({
    username: stringField(body, 'username'),
    terminal: { name: `Web browser ${browserId.slice(0, 8)}`, requesterSpecifiedId: browserId },
  }),
  // The chain comes from the server's allow-list; the address is the client's to name, and its signature
  // is what proves it. Binding it makes the challenge carry the exact message to sign. Domain, URI,
  // nonce, statement and times are the server's, held with the challenge.
  wallet: ({ body }) => ({
    chain: allowedChain(body),
    address: stringField(body, 'address'),
  }),
};

function allowedChain(body: Record<string, unknown>): WalletChain {
  const chain = WALLET_CHAINS.find((allowed) => allowed === body.chain);
  if (!chain) {
    throw new InvalidArgumentError(`Choose a chain this site offers: ${WALLET_CHAINS.join(' or ')}.`);
  }
  return chain;
}

/** Options of {@link rateLimits}. */
export interface RateLimitSettings {
  /** Logins (verify) and challenges per client address and provider per minute. Default 20. */
  perMinute?: number;
  /** Toopher pushes (its challenges) per client address per minute: each one rings a phone. Default 5. */
  toopherPushesPerMinute?: number;
  now?: () => number;
}

/** The demo's limits: logins and challenges per client, and a tighter one for Toopher pushes. */
export function rateLimits(settings: RateLimitSettings = {}): RateLimitHook {
  const now = settings.now ?? Date.now;
  const logins = createRateLimiter({ limit: settings.perMinute ?? 20, windowMs: 60_000, now });
  const pushes = createRateLimiter({ limit: settings.toopherPushesPerMinute ?? 5, windowMs: 60_000, now });
  return (event) =>
    event.provider === 'toopher' && event.route === 'challenge' ? pushes(event) : logins(event);
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || value.length > 256) {
    throw new InvalidArgumentError(`Send ${name} as a non-empty string of at most 256 characters.`);
  }
  return value;
}

/**
 * Settings from the environment: a provider is offered when its key is set; `<PROVIDER>_BASE_URL` points it
 * at an emulator or a proxy. The wallet login has no key: `WALLET_CHAINS` (comma-separated, from
 * {@link WALLET_CHAINS}) turns it on, for `PUBLIC_ORIGIN` (default `http://127.0.0.1:$PORT`).
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
    ...(env.WALLET_CHAINS ? { wallet: walletFromEnv(env, env.WALLET_CHAINS) } : {}),
  };
}

function walletFromEnv(env: NodeJS.ProcessEnv, list: string): NonNullable<ProviderSettings['wallet']> {
  const chains = list.split(',').map((chain) => chain.trim());
  for (const chain of chains) {
    if (!WALLET_CHAINS.includes(chain as WalletChain)) {
      throw new InvalidArgumentError(`WALLET_CHAINS: '${chain}' is not one of ${WALLET_CHAINS.join(', ')}.`);
    }
  }
  const origin = new URL(env.PUBLIC_ORIGIN ?? `http://127.0.0.1:${env.PORT ?? 3000}`).origin;
  return { origin, chains: chains as WalletChain[] };
}
