/**
 * The Magic admin API's JSON, as valibot schemas. Both the current bare bodies and the legacy
 * `{data, error_code, message, status}` envelope (API before the 2025 move) are accepted.
 */
import * as v from 'valibot';

/** Wallet types of `GET /v1/admin/user?wallet_type=` (the same list in every official SDK). */
export const WALLET_TYPES = [
  'ETH',
  'HARMONY',
  'ICON',
  'FLOW',
  'TEZOS',
  'ZILLIQA',
  'POLKADOT',
  'SOLANA',
  'AVAX',
  'ALGOD',
  'COSMOS',
  'CELO',
  'BITCOIN',
  'NEAR',
  'HELIUM',
  'CONFLUX',
  'TERRA',
  'TAQUITO',
  'ED',
  'HEDERA',
  'NONE',
  'ANY',
] as const;

/** One of {@link WALLET_TYPES}. */
export type WalletType = (typeof WALLET_TYPES)[number];

const nullableString = v.optional(v.nullable(v.string()), null);

/** Unwraps the legacy envelope when the body is one; a bare body passes through. */
function envelope<T>(schema: v.GenericSchema<unknown, T>): v.GenericSchema<unknown, T> {
  return v.union([
    v.pipe(
      v.object({
        data: schema,
        status: v.literal('ok'),
        error_code: v.optional(v.unknown()),
        message: v.optional(v.unknown()),
      }),
      v.transform((body) => body.data),
    ),
    schema,
  ]);
}

/** `GET /v1/admin/client`. */
export const ClientInfoSchema = envelope(
  v.object({ client_id: v.pipe(v.string(), v.minLength(1)), app_scope: nullableString }),
);

/** One wallet of a user's metadata, on the wire (snake_case). */
export const WireWalletSchema = v.object({
  wallet_type: v.string(),
  network: nullableString,
  public_address: nullableString,
});

/** `GET /v1/admin/user`. An answer without `issuer` is not a user: it is refused, not read as all-null. */
export const UserMetadataSchema = envelope(
  v.object({
    issuer: v.string(),
    public_address: nullableString,
    email: nullableString,
    oauth_provider: nullableString,
    phone_number: nullableString,
    username: nullableString,
    wallets: v.optional(v.nullable(v.array(WireWalletSchema)), null),
  }),
);

/** `POST /v1/admin/user/logout`: any JSON object, or a successful legacy envelope. */
export const LogoutSchema = v.union([
  v.object({ status: v.literal('ok') }),
  v.pipe(
    v.looseObject({}),
    v.check((body) => !('status' in body) || typeof body.status === 'number' || body.status === 'ok'),
  ),
]);

/** An error body: the legacy envelope, or FastAPI's `{detail}`. */
export const ErrorBodySchema = v.looseObject({
  error_code: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
  detail: v.optional(v.unknown()),
  data: v.optional(v.unknown()),
});
