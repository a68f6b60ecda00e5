export {
  type CpuOptions,
  cpuPerOp,
  type LoopbackServer,
  micros,
  type RatioTarget,
  reportRatio,
  startLoopbackServer,
  wallPerOp,
} from './bench.js';
export {
  type ConformanceContext,
  type ConformanceFailure,
  type ProviderConformanceOptions,
  runProviderConformance,
} from './provider-conformance.js';
export { rejectionOf } from './rejection.js';
export { runStoreConformance, type StoreConformanceOptions } from './store-conformance.js';
