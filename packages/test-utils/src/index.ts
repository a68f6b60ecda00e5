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
export { runStoreConformance, type StoreConformanceOptions } from './store-conformance.js';
