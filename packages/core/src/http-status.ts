import type { AuthBridgeErrorCode } from './errors.js';

/** The statuses {@link httpStatusForCode} answers with. */
export type AppErrorStatus = 400 | 401 | 500 | 502 | 503 | 504;

/**
 * The HTTP status an app's own login route should answer when authbridge throws `code`: the user's
 * credential or header → 401; the caller's input → 400; a busy or unavailable dependency (a provider's
 * rate limit, the nonce/replay store, a call the server gave up on) → 503; a provider that timed out →
 * 504; the app's own configuration → 500; any other provider failure → 502. The user did nothing wrong
 * in the 5xx cases, so none of them is a 4xx.
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
      return 401;
    case 'ERR_INVALID_ARGUMENT':
      return 400;
    case 'ERR_PROVIDER_BAD_REQUEST':
    case 'ERR_PROVIDER_UNAUTHORIZED':
    case 'ERR_PROVIDER_FORBIDDEN':
    case 'ERR_PROVIDER_NOT_FOUND':
    case 'ERR_PROVIDER_CONFLICT':
    case 'ERR_PROVIDER_SERVER':
    case 'ERR_PROVIDER_REQUEST':
    case 'ERR_NETWORK':
    case 'ERR_UNEXPECTED_RESPONSE':
      return 502;
    case 'ERR_PROVIDER_RATE_LIMITED':
    case 'ERR_STORE':
    case 'ERR_ABORTED':
      return 503;
    case 'ERR_TIMEOUT':
      return 504;
    case 'ERR_CONFIG':
      return 500;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}
