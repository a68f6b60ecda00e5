export { decodeAccessToken } from './access-token.js';
export { PicketCredentialSchema, parsePicketCredential } from './credential.js';
export type { PicketErrorCode, PicketErrorData } from './errors.js';
export {
  type Erc1271Provider,
  hashPersonalMessage,
  recoverPersonalSignAddress,
  toChecksumAddress,
  type VerifyEvmSignatureInput,
  verifyEvmSignature,
} from './evm.js';
export {
  type AuthContext,
  type ChainType,
  createSigningMessage,
  type SigningMessageInput,
} from './message.js';
export {
  type AuthInput,
  type AuthzInput,
  type NonceInput,
  PICKET_BASE_URL,
  PICKET_CHALLENGE_TTL_MS,
  type PicketChallengeData,
  type PicketChallengeInput,
  type PicketClaims,
  type PicketCredential,
  type PicketOptions,
  type PicketProvider,
  picket,
  type TokenOwnershipInput,
  type VerifyAccessTokenOptions,
} from './picket.js';
export { type AuthRequirements, meetsAuthRequirements } from './requirements.js';
export { chainTypeOf, type VerifyWalletSignatureInput, verifyWalletSignature } from './signature.js';
export {
  type Ed25519Backend,
  ed25519Backend,
  type VerifySolanaSignatureInput,
  verifyEd25519Noble,
  verifySolanaSignature,
} from './solana.js';
export { VERSION } from './version.js';
export {
  AccessTokenClaims,
  AuthorizedUser,
  AuthResponse,
  ChainInfo,
  NonceResponse,
  TokenBalances,
  TokenOwnershipResponse,
} from './wire.js';
