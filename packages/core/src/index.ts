export {
  AUTHORIZATION_HEADER_MAX_LENGTH,
  type AuthorizationSource,
  parseAuthorizationHeader,
} from './authorization-header.js';
export {
  CHALLENGE_ID_LENGTH,
  type ChallengeStore,
  type ChallengeStoreOptions,
  challengeAnswerOf,
  createChallengeStore,
  DEFAULT_CHALLENGE_TTL_MS,
  type IssuedChallenge,
  isChallengeId,
} from './challenge-store.js';
export { type CreateAuthOptions, createAuth } from './create-auth.js';
export { type CredentialParserOptions, credentialParser } from './credential-parser.js';
export {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  bytesToUtf8,
  hexToBytes,
  isAscii,
  sha256Hex,
  timingSafeEqual,
  utf8ToBytes,
} from './encoding.js';
export {
  AbortedError,
  AuthBridgeError,
  type AuthBridgeErrorCode,
  type AuthBridgeErrorOptions,
  ConfigurationError,
  ERROR_CODES,
  ERRORS_DOCS_PATH,
  errorDocsPath,
  InvalidArgumentError,
  type InvalidCredentialCode,
  InvalidCredentialError,
  isAuthBridgeError,
  NetworkError,
  type ProviderRequestCode,
  ProviderRequestError,
  type ProviderRequestErrorOptions,
  providerCodeForStatus,
  RequestError,
  type RequestErrorCode,
  SessionError,
  type SessionErrorCode,
  StoreError,
  TimeoutError,
  UnexpectedResponseError,
  type UnexpectedResponseErrorOptions,
} from './errors.js';
export { checksumEvmAddress } from './evm-address.js';
export {
  createHttpClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type HttpClient,
  type HttpClientOptions,
  type HttpEvent,
  type HttpHooks,
  type HttpMethod,
  type HttpOptions,
  type HttpRequest,
  type HttpResult,
  type ParsedProviderError,
  parseRetryAfter,
  type RequestSigner,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './http.js';
export { type AppErrorStatus, httpStatusForCode } from './http-status.js';
export { assertTtl, createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { encodePathSegment, isWellFormedText, type PathSegmentOptions } from './path-segment.js';
export type {
  AnyAuthProvider,
  Auth,
  AuthProvider,
  AuthResult,
  AuthResultOf,
  CallOptions,
  Challenge,
  ChallengeAnswer,
  ChallengeDataOf,
  ChallengeInputOf,
  ChallengeProvider,
  ClaimsOf,
  CredentialOf,
  LogoutProvider,
  WalletIdentity,
} from './provider.js';
export { readCapped } from './read-capped.js';
export {
  DEFAULT_REPLAY_SKEW_MS,
  type RecordOnceOptions,
  recordOnce,
  replaySkewOf,
} from './record-once.js';
export {
  createRedactor,
  DEFAULT_SECRET_FIELDS,
  DEFAULT_SECRET_HEADERS,
  excerpt,
  REDACTED,
  REMEMBERED_SECRETS_MAX,
  type Redactor,
  type RedactorOptions,
  redactText,
  redactUnknown,
  rememberSecret,
  replaceUrls,
  stripUrlUserinfo,
} from './redact.js';
export { type CheckSecretOptions, checkSecret, SECRET_MAX_LENGTH } from './secret.js';
export type { KeyValueStore } from './store.js';
export { createTtlCache, type TtlCache, type TtlCacheOptions } from './ttl-cache.js';
export { VERSION } from './version.js';
