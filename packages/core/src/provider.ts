/**
 * The contract every provider package implements, and the registry apps use to offer several.
 */

/** Options of every provider call. */
export interface CallOptions {
  /** Aborts the call, including any retry wait or poll. */
  signal?: AbortSignal;
}

/** A wallet the user proved control of. */
export interface WalletIdentity {
  /** `ethereum`, `solana`, `flow`, or another chain name the provider uses. */
  chain: string;
  address: string;
}

/**
 * What a successful `verify` resolves to, whichever provider served it.
 *
 * `subject` is the stable id an app stores for the user: the Magic issuer (`did:ethr:0x…`), the Picket
 * `chain:address`, the Pi uid, the Toopher user id.
 */
export interface AuthResult<Id extends string = string, Claims = Record<string, unknown>> {
  provider: Id;
  subject: string;
  wallet?: WalletIdentity;
  email?: string;
  username?: string;
  /** When the verified credential stops being valid, when the provider says. */
  expiresAt?: Date;
  /** Provider-specific, typed data (token balances, scopes, the raw claim). */
  claims: Claims;
}

/**
 * The first step of a challenge/response login (a Picket nonce, a Toopher authentication request).
 * Every package that has one names it `createChallenge`. What it issued stays on the server (in a
 * `ChallengeStore`); the client gets the id and the message, and sends back the id with its answer.
 */
export interface Challenge<Id extends string = string, Data = Record<string, unknown>> {
  provider: Id;
  /** The challenge id: a random id of the server-held record, the only part the client sends back. */
  id: string;
  /** The exact text the user signs, when there is one. */
  message?: string;
  /** When the challenge stops being accepted. */
  expiresAt?: Date;
  /** What was issued, for the server (display, logs). `verify` never takes it back from the client. */
  data: Data;
}

/**
 * The part every credential of a provider with a challenge step has: the id of the challenge it
 * answers. The rest of such a credential is the user's answer only (a signature, a postback), never a
 * value the server issued.
 */
export interface ChallengeAnswer {
  challengeId: string;
}

/**
 * A provider: a literal `id` and `verify`, which resolves to an {@link AuthResult} or throws an
 * `AuthBridgeError` (never returns `null`).
 */
export interface AuthProvider<Id extends string = string, Credential = unknown, Claims = unknown> {
  readonly id: Id;
  /** Checks `credential` with the provider; resolves to who it proves, or throws an `AuthBridgeError`. */
  verify(credential: Credential, options?: CallOptions): Promise<AuthResult<Id, Claims>>;
  /**
   * Checks that untrusted input (a request body's `credential`) has the shape of this provider's
   * credential, against the provider's own schema, and returns it typed. Throws
   * `ERR_CREDENTIAL_MALFORMED` otherwise; it never calls the provider. `verify` still checks everything
   * else. Every provider package implements it; it is optional here so that an app's own provider
   * objects stay valid.
   */
  parseCredential?(input: unknown): Credential;
}

/**
 * A provider with a challenge step. Its credential names the challenge by id ({@link ChallengeAnswer}):
 * what the challenge issued is looked up on the server, not carried by the client.
 */
export interface ChallengeProvider<
  Id extends string = string,
  Credential extends ChallengeAnswer = ChallengeAnswer,
  Claims = unknown,
  ChallengeInput = unknown,
  ChallengeData = unknown,
> extends AuthProvider<Id, Credential, Claims> {
  /** Starts a login: what the user must sign or approve, kept on the server until `verify` takes it back. */
  createChallenge(input: ChallengeInput, options?: CallOptions): Promise<Challenge<Id, ChallengeData>>;
}

/** A provider that can end a user's sessions at the provider. `subject` is `AuthResult.subject`. */
export interface LogoutProvider<Id extends string = string, Credential = unknown, Claims = unknown>
  extends AuthProvider<Id, Credential, Claims> {
  /** Ends every session of `subject` at the provider. */
  logout(subject: string, options?: CallOptions): Promise<void>;
}

/** Any provider, whatever its credential and claims: what `createAuth` accepts. */
// biome-ignore lint/suspicious/noExplicitAny: the registry accepts providers of any credential type.
export type AnyAuthProvider = AuthProvider<string, any, any>;

/** The credential type a provider's `verify` takes. */
export type CredentialOf<P> = P extends AuthProvider<string, infer C, unknown> ? C : never;
/** The claims type a provider's `verify` returns. */
export type ClaimsOf<P> = P extends AuthProvider<string, unknown, infer C> ? C : never;
/** The challenge input a provider's `createChallenge` takes. */
export type ChallengeInputOf<P> = P extends {
  /** The provider's challenge step. */
  createChallenge(input: infer I, ...rest: never[]): unknown;
}
  ? I
  : never;
/** The data a provider's `createChallenge` puts in `Challenge.data`. */
export type ChallengeDataOf<P> = P extends {
  /** The provider's challenge step. */
  createChallenge(...args: never[]): Promise<Challenge<string, infer D>>;
}
  ? D
  : never;
/**
 * The `AuthResult` of each provider in `P`, as a union discriminated on `provider`: checking
 * `result.provider === 'pi'` narrows `claims` to Pi's claims.
 */
export type AuthResultOf<P> = P extends AuthProvider<infer Id, unknown, infer C> ? AuthResult<Id, C> : never;
type ProviderById<P extends AnyAuthProvider, Id extends string> = Extract<P, { id: Id }>;
type IdsWith<P extends AnyAuthProvider, M extends string> = P extends { [K in M]: unknown } ? P['id'] : never;

/** The registry {@link createAuth} returns. */
export interface Auth<P extends AnyAuthProvider> {
  /** The provider ids, in the order given. */
  readonly ids: readonly P['id'][];
  /** The provider registered under `id`. */
  get<Id extends P['id']>(id: Id): ProviderById<P, Id>;
  /** Whether `id` names a registered provider (narrows untrusted input such as a route parameter). */
  has(id: string): id is P['id'];
  /**
   * `verify` of the provider `id`; the credential type follows the id. With an `id` that is a union
   * (a route parameter narrowed by {@link Auth.has}) the result is a union discriminated on `provider`.
   */
  verify<Id extends P['id']>(
    id: Id,
    credential: CredentialOf<ProviderById<P, Id>>,
    options?: CallOptions,
  ): Promise<AuthResultOf<ProviderById<P, Id>>>;
  /**
   * `parseCredential` of the provider `id`: untrusted input checked against that provider's credential
   * schema, typed so that `auth.verify(id, auth.parseCredential(id, body.credential))` compiles for an
   * `id` taken from a URL. Throws `ERR_CREDENTIAL_MALFORMED` for input of the wrong shape, `ERR_CONFIG`
   * for an unknown id or a provider object without `parseCredential`.
   */
  parseCredential<Id extends P['id']>(id: Id, input: unknown): CredentialOf<ProviderById<P, Id>>;
  /** `createChallenge` of a provider that has one. */
  createChallenge<Id extends IdsWith<P, 'createChallenge'>>(
    id: Id,
    input: ChallengeInputOf<ProviderById<P, Id>>,
    options?: CallOptions,
  ): Promise<Challenge<Id, ChallengeDataOf<ProviderById<P, Id>>>>;
  /** Whether the provider `id` has a challenge step (narrows `id` to the providers that do). */
  hasChallenge(id: P['id']): id is IdsWith<P, 'createChallenge'>;
  /** `logout` of a provider that has one. */
  logout<Id extends IdsWith<P, 'logout'>>(id: Id, subject: string, options?: CallOptions): Promise<void>;
  /** Whether the provider `id` can end sessions (narrows `id` to the providers that can). */
  hasLogout(id: P['id']): id is IdsWith<P, 'logout'>;
}
