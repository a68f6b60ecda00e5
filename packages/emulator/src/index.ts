export type { Fault, FaultRule } from './faults.js';
export type { EmulatorFixtures } from './fixtures.js';
/** Magic's client-side signer, for tests and benchmarks that need many DID tokens without HTTP. */
export {
  type Claim as DidTokenClaim,
  mintDidToken,
  personalSign,
  type SigningKey,
  signingKey,
} from './magic/did-token.js';
export type { MagicEmulatorFixtures, MagicEmulatorOptions } from './magic/index.js';
export type { PiEmulatorApp, PiEmulatorFixtures, PiEmulatorOptions, PiEmulatorUser } from './pi/state.js';
export type {
  PicketChain,
  PicketEmulatorFixtures,
  PicketEmulatorOptions,
  PicketProject,
  TestWallet,
  WalletBalances,
} from './picket/fixtures.js';
export { providerModules } from './providers.js';
export {
  type Emulator,
  type EmulatorClock,
  type RecordedRequest,
  type StartEmulatorOptions,
  startEmulator,
} from './server.js';
export type {
  SeededUser as ToopherSeededUser,
  ToopherEmulatorOptions,
  ToopherFixtures as ToopherEmulatorFixtures,
} from './toopher/state.js';
export type { EmulatorContext, EmulatorEnv, ProviderId, ProviderInstance, ProviderModule } from './types.js';
