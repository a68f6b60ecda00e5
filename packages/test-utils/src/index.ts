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
export { type CredentialParserSuiteOptions, runCredentialParserSuite } from './credential-parser-suite.js';
export {
  type AnsweredChallenge,
  type ConformanceChallenge,
  type ConformanceContext,
  type ConformanceFailure,
  type ProviderConformanceOptions,
  runProviderConformance,
} from './provider-conformance.js';
export { rejectionOf } from './rejection.js';
export { writeAndConsume } from './store-bench.js';
export { runStoreConformance, type StoreConformanceOptions } from './store-conformance.js';
export {
  errorRenderings,
  expectStoreFailsClosed,
  type FailsClosedOptions,
  type SilentServer,
  STORE_CALLS,
  startSilentServer,
  thrownBy,
  timedRejection,
} from './store-failure.js';
export {
  type RaceWorkerOptions,
  runStoreRace,
  type StoreRaceOptions,
  serveRaceWorker,
  stopWorkers,
} from './store-race.js';
