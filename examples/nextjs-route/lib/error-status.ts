import type { AuthBridgeErrorCode } from '@authbridge/core';

/**
 * The HTTP status for an authbridge error code, the same in every example: the user's credential → 401,
 * the caller's input → 400, a busy or unavailable dependency (rate limit, the nonce/replay store) → 503,
 * a provider timeout → 504, our configuration → 500, any other provider failure → 502.
 */
export function statusForCode(code: AuthBridgeErrorCode): number {
  if (code.startsWith('ERR_CREDENTIAL_') || code.startsWith('ERR_AUTH_HEADER_')) return 401;
  switch (code) {
    case 'ERR_INVALID_ARGUMENT':
      return 400;
    case 'ERR_PROVIDER_RATE_LIMITED':
    case 'ERR_STORE':
    case 'ERR_ABORTED':
      return 503;
    case 'ERR_TIMEOUT':
      return 504;
    case 'ERR_CONFIG':
      return 500;
    default:
      return 502;
  }
}
