import { type AnyAuthProvider, createAuth } from '@authbridge/core';
import { type Emulator, providerModules, startEmulator } from '@authbridge/emulator';
import { createApp } from './app.js';
import { createDevRoutes, DEMO_PROVIDERS, emulatorSettings } from './dev-tools.js';
import { createDevWallet, type DevWallet, emulatorWalletSeed } from './dev-wallet.js';
import { type Listening, listen } from './listen.js';
import { buildProviders, challengeIdOf, secretsOf } from './providers.js';
import { createSessions } from './session.js';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Port of the example; 0 for any free one. When taken, a free one is used instead. */
  port?: number;
  log?: (line: string) => void;
}

/** The emulators and the example server wired to them, with the development tools mounted. */
export interface DemoServer {
  emulator: Emulator;
  server: Listening;
  providers: AnyAuthProvider[];
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
    providers: DEMO_PROVIDERS.filter((id) => id in providerModules),
    // The emulator learns the wallet's address and token balances, never its key.
    providerOptions: { picket: { wallets: [emulatorWalletSeed(wallet)] } },
  });
  const settings = emulatorSettings(emulator);
  const providers = buildProviders(settings);
  const app = createApp({
    auth: createAuth({ providers }),
    sessions: createSessions(),
    secrets: secretsOf(settings),
    challengeIdOf,
    extraRoutes: createDevRoutes(emulator, wallet),
    ...(options.log ? { log: options.log } : {}),
  });
  let movedPort = false;
  let server: Listening;
  try {
    server = await listen(app, options.port ?? 0);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') {
      await emulator.close();
      throw error;
    }
    movedPort = true;
    server = await listen(app, 0);
  }
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
