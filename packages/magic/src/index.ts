export { parseAuthorizationHeader } from '@authbridge/core';
export {
  createMagicAdmin,
  type MagicAdmin,
  type MagicAdminOptions,
  type MagicToken,
  type TokenValidateOptions,
  type ValidatedDIDToken,
} from './admin.js';
export {
  canonicalIssuer,
  type DecodedDIDToken,
  DID_TOKEN_MAX_LENGTH,
  type DIDTokenClaim,
  decodeDIDToken,
  generateIssuerFromPublicAddress,
  getIssuer,
  getPublicAddress,
  parsePublicAddressFromIssuer,
  toChecksumAddress,
} from './did-token.js';
export { didTokenError, type MagicTokenErrorCode } from './errors.js';
export { createMagicHttpClient, MAGIC_API_BASE_URL, type MagicHttpOptions } from './http.js';
export { loadNativeRecovery } from './native-recovery.js';
export {
  MAX_DID_TOKEN_CREDENTIAL_LENGTH,
  type MagicClaims,
  type MagicProvider,
  type MagicProviderOptions,
  magic,
} from './provider.js';
export {
  hashPersonalMessage,
  jsRecovery,
  type RecoverPublicKey,
  type RecoveryBackend,
  recoverPersonalSigner,
} from './recover.js';
export { REPLAY_MAX_LIFESPAN_SECONDS, replayKey } from './replay.js';
export {
  createUsers,
  type GetMetadataOptions,
  type MagicUserMetadata,
  type MagicUsers,
  type MagicWallet,
} from './users.js';
export {
  checkAudience,
  NBF_GRACE_SECONDS,
  type ValidateDIDTokenOptions,
  validateDIDToken,
} from './validate.js';
export { VERSION } from './version.js';
export { WALLET_TYPES, type WalletType } from './wire.js';
