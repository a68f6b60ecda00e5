import type { AuthBridgeErrorCode } from './errors.js';

/** The statuses {@link httpStatusForCode} answers with. */
export type AppErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

/**
 * The HTTP status an app's own login route should answer when authbridge throws `code`, as the table
 * of `docs/errors.md` gives it: the user's credential, header or session → 401; a request body that is not the route's JSON → 400, 413
 * or 415; a client over its rate limit → 429; an unknown provider id → 404; the caller's input → 400; a
 * provider resource that does not exist or is in the wrong state → 404 / 409; the app's own
 * configuration, or a provider refusing the app's key → 500; a busy or unreachable dependency (a rate
 * limit, the network, the nonce/replay store, a call the server gave up on) → 503; a provider that
 * timed out → 504; any other provider failure → 502. Where the docs allow two answers (a provider's
 * 400 about the user's own input), this is the default; map `providerCode` yourself for the other.
 *
 * @example
 * ```ts
 * } catch (error) {
 *   if (!isAuthBridgeError(error)) throw error;
 *   return c.json({ error: error.code, message: error.shortMessage }, httpStatusForCode(error.code));
 * }
 * ```
 */
export function httpStatusForCode(code: AuthBridgeErrorCode): AppErrorStatus {
  switch (code) {
    case 'ERR_AUTH_HEADER_MISSING':
    case 'ERR_AUTH_HEADER_MALFORMED':
    case 'ERR_CREDENTIAL_MALFORMED':
    case 'ERR_CREDENTIAL_SIGNATURE':
    case 'ERR_CREDENTIAL_EXPIRED':
    case 'ERR_CREDENTIAL_NOT_YET_VALID':
    case 'ERR_CREDENTIAL_AUDIENCE':
    case 'ERR_CREDENTIAL_REPLAYED':
    case 'ERR_CREDENTIAL_REJECTED':
    case 'ERR_CREDENTIAL_CHALLENGE':
    case 'ERR_SESSION_MISSING':
    case 'ERR_SESSION_INVALID':
    case 'ERR_SESSION_EXPIRED':
    case 'ERR_SESSION_REVOKED':
      return 401;
    case 'ERR_INVALID_ARGUMENT':
    case 'ERR_REQUEST_MALFORMED':
      return 400;
    case 'ERR_PAYLOAD_TOO_LARGE':
      return 413;
    case 'ERR_UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'ERR_RATE_LIMITED':
      return 429;
    case 'ERR_PROVIDER_NOT_FOUND':
    case 'ERR_UNKNOWN_PROVIDER':
      return 404;
    case 'ERR_PROVIDER_CONFLICT':
      return 409;
    case 'ERR_CONFIG':
    case 'ERR_PROVIDER_UNAUTHORIZED':
    case 'ERR_PROVIDER_FORBIDDEN':
      return 500;
    case 'ERR_PROVIDER_BAD_REQUEST':
    case 'ERR_PROVIDER_SERVER':
    case 'ERR_PROVIDER_REQUEST':
    case 'ERR_UNEXPECTED_RESPONSE':
      return 502;
    case 'ERR_PROVIDER_RATE_LIMITED':
    case 'ERR_NETWORK':
    case 'ERR_STORE':
    case 'ERR_ABORTED':
      return 503;
    case 'ERR_TIMEOUT':
      return 504;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}
