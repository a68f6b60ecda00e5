export { ACCESS_TOKEN_MAX_LENGTH, decodeAccessToken } from './access-token.js';
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
  CHAIN_MAX_LENGTH,
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
  SIGNATURE_MAX_LENGTH,
  type TokenOwnershipInput,
  type VerifyAccessTokenOptions,
  WALLET_ADDRESS_MAX_LENGTH,
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
