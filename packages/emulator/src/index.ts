export type { Fault, FaultRule } from './faults.js';
export { providerModules } from './providers.js';
export {
  type Emulator,
  type EmulatorClock,
  type RecordedRequest,
  type StartEmulatorOptions,
  startEmulator,
} from './server.js';
export type { EmulatorContext, EmulatorEnv, ProviderId, ProviderInstance, ProviderModule } from './types.js';
