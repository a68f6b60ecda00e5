export {
  type AuthenticateOptions,
  createToopherApi,
  type ExtrasOptions,
  isPairingId,
  PAIRING_ID_MAX_LENGTH,
  type ResetLinkOptions,
  type ToopherApi,
  type ToopherApiOptions,
  type ToopherAuthenticationRequests,
  type ToopherPairings,
  type ToopherParameter,
  type ToopherParameters,
  type ToopherRaw,
  type ToopherUsers,
  type ToopherUserTerminals,
} from './api.js';
export { parseToopherCredential, ToopherCredentialSchema } from './credential.js';
export { parseToopherError, TOOPHER_ERROR_CODES, type ToopherErrorKind, toopherErrorKind } from './errors.js';
export { TOOPHER_TEXT_MAX_LENGTH } from './form.js';
export {
  type AuthenticationGrantedOptions,
  type AuthenticationUrlOptions,
  DEFAULT_IFRAME_TTL,
  DEFAULT_TOOPHER_BASE_URL,
  IFRAME_VERSION,
  type IframeParameter,
  POSTBACK_MAX_LENGTH,
  type PostbackErrorData,
  type PostbackInput,
  type PostbackOptions,
  type PostbackResult,
  postbackSignature,
  type ToopherIframe,
  type ToopherIframeOptions,
  toopherIframe,
  type UserManagementUrlOptions,
} from './iframe.js';
export {
  createOAuth1Signer,
  type OAuth1Parameters,
  type OAuth1Signer,
  type OAuth1SignerOptions,
} from './oauth1.js';
export {
  type PollOptions,
  type ToopherChallengeData,
  type ToopherChallengeInput,
  type ToopherClaims,
  type ToopherCredential,
  type ToopherIframeChallengeData,
  type ToopherIframeChallengeInput,
  type ToopherOptions,
  type ToopherProvider,
  toopher,
} from './provider.js';
export { VERSION } from './version.js';
export type {
  ToopherAction,
  ToopherAuthenticationRequest,
  ToopherPairing,
  ToopherUser,
  ToopherUserTerminal,
} from './wire.js';
