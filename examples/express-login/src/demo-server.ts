import { createAuth } from '@authbridge/core';
import { type Emulator, type ProviderId, providerModules, startEmulator } from '@authbridge/emulator';
import type { ToopherProvider } from '@authbridge/toopher';
import { createApp } from './app.js';
import { createDevRoutes, DEMO_PROVIDERS, emulatorSettings } from './dev-tools.js';
import { createDevWallet, type DevWallet, emulatorWalletSeed } from './dev-wallet.js';
import { type Listening, type Reserved, reserve } from './listen.js';
import { buildProviders, challengeInputs, type DemoProvider, rateLimits } from './providers.js';
import { demoSessions } from './sessions.js';

/** `provider`, noting the Toopher request id of each challenge it creates in `requests`. */
function notingRequests(provider: ToopherProvider, requests: Map<string, string>): ToopherProvider {
  return {
    ...provider,
    async createChallenge(input, options) {
      const challenge = await provider.createChallenge(input, options);
      requests.set(challenge.id, challenge.data.authenticationRequest.id);
      return challenge;
    },
  };
}

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Port of the example; 0 for any free one. When taken, a free one is used instead. */
  port?: number;
  log?: (line: string) => void;
  /** Logins and challenges per client and minute (default 20), Toopher pushes (default 5). */
  rateLimit?: { perMinute?: number; toopherPushesPerMinute?: number };
}

/** The emulators and the example server wired to them, with the development tools mounted. */
export interface DemoServer {
  emulator: Emulator;
  server: Listening;
  providers: DemoProvider[];
  /** The development wallet the page and the scripted demo sign Picket messages with. */
  wallet: DevWallet;
  /** Whether `port` was taken and another was used. */
  movedPort: boolean;
  close(): Promise<void>;
}

/** Starts every emulator the example has a provider for, then the example against them. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const wallet = createDevWallet();
  const emulator = await startEmulator({
    // The wallet login needs no emulator: its nonces and signature checks are the server's own.
    providers: DEMO_PROVIDERS.filter(
      (id): id is (typeof DEMO_PROVIDERS)[number] & ProviderId => id in providerModules,
    ),
    // The emulator learns the wallet's address and token balances, never its key.
    providerOptions: { picket: { wallets: [emulatorWalletSeed(wallet)] } },
  });
  // The port comes first: the wallet login's messages name this server's host and port.
  let server: Reserved;
  let movedPort = false;
  try {
    server = await reserve(options.port ?? 0);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') {
      await emulator.close();
      throw error;
    }
    movedPort = true;
    server = await reserve(0);
  }
  const settings = { ...emulatorSettings(emulator), wallet: { origin: server.url } };
  // The emulated phone answers a Toopher request by its id, which the server keeps with the challenge:
  // the demo notes it as each challenge is created.
  const toopherRequests = new Map<string, string>();
  const providers = buildProviders(settings).map((provider) =>
    provider.id === 'toopher' ? notingRequests(provider as ToopherProvider, toopherRequests) : provider,
  );
  const { port } = new URL(server.url);
  const app = createApp({
    auth: createAuth({ providers }),
    // Plain http on 127.0.0.1: a Secure cookie could be dropped there, whatever NODE_ENV says.
    sessions: demoSessions({ secure: false }),
    challenges: challengeInputs,
    rateLimit: rateLimits(options.rateLimit),
    publicOrigin: server.url,
    // The demo answers on 127.0.0.1 and localhost at its port, and nothing else: a DNS-rebinding page
    // sends its own host name.
    allowedHosts: () => [`127.0.0.1:${port}`, `localhost:${port}`],
    extraRoutes: createDevRoutes(emulator, wallet, (challengeId) => toopherRequests.get(challengeId)),
    ...(options.log ? { log: options.log } : {}),
  });
  server.serve(app);
  return {
    emulator,
    server,
    providers,
    wallet,
    movedPort,
    async close() {
      await server.close();
      await emulator.close();
    },
  };
}
