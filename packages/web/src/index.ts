export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_JSON_DEPTH,
  depthExceeds,
  type ReadJsonBodyOptions,
  readJsonBody,
} from './body.js';
export { DEFAULT_ERROR_MESSAGES, type ErrorBody, errorResponseOf } from './error-response.js';
export {
  type AuthHandler,
  type AuthHandlerOptions,
  type ChallengeContext,
  type ChallengeIdsOf,
  type ChallengeInputBuilders,
  createAuthHandler,
  type HandleContext,
  readCookie,
  type SessionBody,
} from './handler.js';
export { type NextRouteHandlerOptions, type NextRouteHandlers, nextRouteHandlers } from './next.js';
export {
  createRateLimiter,
  type RateLimitEvent,
  type RateLimitedRoute,
  type RateLimiterOptions,
  type RateLimitHook,
  type RateLimitVerdict,
} from './rate-limit.js';
