import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';

/** The providers the emulator can serve. `echo` is a diagnostic API for testing HTTP clients. */
export type ProviderId = 'magic' | 'picket' | 'pi' | 'toopher' | 'echo';

/** The Hono environment of every emulator route: Node's request and response are reachable. */
export type EmulatorEnv = { Bindings: HttpBindings };

/** What a provider module sees of the emulator. */
export interface EmulatorContext {
  /** The emulator's clock in ms; tests move it with `emulator.clock`. */
  now(): number;
  /** The base URL of this provider, such as `http://127.0.0.1:4010/magic` (no trailing slash). */
  baseUrl(): string;
  /** The emulator's root URL. */
  rootUrl(): string;
}

/** A provider's routes and state, built once per emulator. */
export interface ProviderInstance {
  /** Routes relative to the provider's base path (`/magic`). */
  app: Hono<EmulatorEnv>;
  /** Forgets all state created since start (seeded data comes back). */
  reset?(): void;
  /** Seeded test fixtures (users, wallets, keys), for tests and the demo. */
  fixtures?: unknown;
}

/** A provider module: the provider issues each add one to `providers.ts`. */
export interface ProviderModule {
  id: ProviderId;
  /** Builds the provider's routes and state for one emulator; `options` is `providerOptions[id]`. */
  create(context: EmulatorContext, options?: unknown): ProviderInstance;
}
