export { type ChainFamily, resolveChain, SOLANA_CHAINS, toAccountId, type WalletChain } from './caip.js';
export { MAX_SIGNATURE_LENGTH, parseWalletCredential, WalletCredentialSchema } from './credential.js';
export {
  detectEd25519Backend,
  type Ed25519Backend,
  ed25519Backend,
  isAcceptableEd25519Key,
  verifyEd25519,
  verifyEd25519Noble,
} from './ed25519.js';
export {
  ERC1271_MAGIC_VALUE,
  ERC6492_SUFFIX,
  encodeIsValidSignature,
  hashPersonalMessage,
  isErc1271Valid,
  isErc6492Signature,
  isEvmAddress,
  recoverDigestSigner,
  signatureBytes,
  toChecksumAddress,
  wrapErc6492Signature,
} from './eip191.js';
export { type EvmSignatureType, type VerifyEvmSignatureInput, verifyEvmSignature } from './evm-signature.js';
export { parseDateTime } from './grammar.js';
export { createEvmRpc, type EthCallResult, type EvmRpc, type EvmRpcOptions } from './rpc.js';
export {
  createSiweMessage,
  MAX_MESSAGE_LENGTH,
  parseSiweMessage,
  type SiweMessage,
  serializeSiweMessage,
} from './siwe.js';
export {
  createSignInMessageText,
  MAX_SIGN_IN_MESSAGE_LENGTH,
  parseSignInMessageText,
  type SolanaSignInInput,
  type SolanaSignInMessage,
  type SolanaSignInOutput,
  type VerifySignInOptions,
  verifySignIn,
} from './siws.js';
export { DEFAULT_CLOCK_SKEW_MS } from './times.js';
export { type SiweVerification, type VerifySiweMessageInput, verifySiweMessage } from './verify-siwe.js';
export { VERSION } from './version.js';
export {
  type SiweChallengeFields,
  type WalletChallengeData,
  type WalletChallengeInput,
  type WalletClaims,
  type WalletCredential,
  type WalletOptions,
  type WalletProvider,
  wallet,
} from './wallet.js';
