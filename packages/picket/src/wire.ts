/**
 * Valibot schemas of the Picket API's JSON (spec §2), shared by the client and its tests.
 *
 * The schemas accept what every official client has been seen to receive: balances as strings or
 * numbers, extra claims in a validated token, and the superset token-ownership reply.
 */
import * as v from 'valibot';

/** A balance: Picket sends decimal strings; picket-python's fixtures use numbers. Numbers become strings. */
export const Balance = v.pipe(
  v.union([v.string(), v.pipe(v.number(), v.finite())]),
  v.transform((value) => String(value)),
);

/** Balances of one requirement kind, keyed by contract, collection, creator or mint address. */
export const BalanceMap = v.record(v.string(), Balance);

/**
 * `tokenBalances` of a user or token (spec §4). The four known kinds are maps; anything else is
 * kept as sent, because picket-go's replies use a flat `{ address: balance }` map.
 */
export const TokenBalances = v.objectWithRest(
  {
    contractAddress: v.optional(BalanceMap),
    collection: v.optional(BalanceMap),
    tokenIds: v.optional(BalanceMap),
    creatorAddress: v.optional(BalanceMap),
  },
  v.union([BalanceMap, Balance]),
);
export type TokenBalances = v.InferOutput<typeof TokenBalances>;

/** `POST /auth/nonce` reply. `format` is the project's message format (`simple` or `siwe`). */
export const NonceResponse = v.object({
  nonce: v.pipe(v.string(), v.minLength(1)),
  statement: v.string(),
  format: v.optional(v.string()),
});
export type NonceResponse = v.InferOutput<typeof NonceResponse>;

/** The longest chain slug or wallet address taken from Picket's answer for a subject, in characters. */
export const SUBJECT_PART_MAX_LENGTH = 128;

/** The wallet a token or `/auth` reply describes. Extra fields are kept. */
export const AuthorizedUser = v.looseObject({
  chain: v.pipe(v.string(), v.maxLength(SUBJECT_PART_MAX_LENGTH)),
  walletAddress: v.pipe(v.string(), v.maxLength(SUBJECT_PART_MAX_LENGTH)),
  displayAddress: v.string(),
  tokenBalances: v.optional(TokenBalances, {}),
  contractAddress: v.optional(v.string()),
  tokenBalance: v.optional(Balance),
  tokenIds: v.optional(v.array(v.string())),
});
export type AuthorizedUser = v.InferOutput<typeof AuthorizedUser>;

/** `POST /auth` and `POST /authz` reply. */
export const AuthResponse = v.object({
  accessToken: v.pipe(v.string(), v.minLength(1)),
  user: AuthorizedUser,
});
export type AuthResponse = v.InferOutput<typeof AuthResponse>;

/**
 * `POST /auth/validate` reply: the decoded token claims (spec §4). Only the wallet fields are
 * required, as in picket-python; the registered claims are checked when present.
 */
export const AccessTokenClaims = v.looseObject({
  ...AuthorizedUser.entries,
  email: v.optional(v.string()),
  iat: v.optional(v.number()),
  exp: v.optional(v.number()),
  iss: v.optional(v.string()),
  sub: v.optional(v.string()),
  aud: v.optional(v.union([v.string(), v.array(v.string())])),
  tid: v.optional(v.string()),
  ver: v.optional(v.union([v.number(), v.string()])),
});
export type AccessTokenClaims = v.InferOutput<typeof AccessTokenClaims>;

/** `POST /chains/{chain}/wallets/{walletAddress}/tokenOwnership` reply (the superset of spec §2.5). */
export const TokenOwnershipResponse = v.looseObject({
  allowed: v.boolean(),
  tokenBalances: v.optional(TokenBalances, {}),
  tokenBalance: v.optional(Balance),
  walletAddress: v.optional(v.string()),
});
export type TokenOwnershipResponse = v.InferOutput<typeof TokenOwnershipResponse>;

/** One entry of `GET /chains`. */
export const ChainInfo = v.looseObject({
  chainSlug: v.string(),
  chainId: v.number(),
  chainType: v.string(),
  chainName: v.string(),
  publicRPC: v.optional(v.string()),
  authorizationSupported: v.boolean(),
});
export type ChainInfo = v.InferOutput<typeof ChainInfo>;

/** `GET /chains` reply. */
export const ChainsResponse = v.object({ data: v.array(ChainInfo) });

/** Picket's error body (spec §6). `code` is optional: older routes send only `msg`. */
export const ErrorBody = v.object({
  msg: v.string(),
  code: v.optional(v.string()),
});
