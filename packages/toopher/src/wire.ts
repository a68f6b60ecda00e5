/**
 * Toopher's JSON (spec §3) as valibot schemas, and the camelCase objects this package hands out.
 * Every key the Python SDK requires is required here too; unknown keys survive in `raw`.
 */
import * as v from 'valibot';

/** A Toopher user of the requester. */
export interface ToopherUser {
  id: string;
  name: string;
  toopherAuthenticationEnabled: boolean;
  /** The decoded JSON (or postback fields) the object was read from, unknown keys included. */
  raw: Record<string, unknown>;
}

/** A pairing between a user and a phone. Usable only when `enabled` and not `pending`. */
export interface ToopherPairing {
  id: string;
  enabled: boolean;
  pending: boolean;
  user: Omit<ToopherUser, 'raw'>;
  raw: Record<string, unknown>;
}

/** A terminal (browser, device) a user authenticates from. */
export interface ToopherUserTerminal {
  id: string;
  name: string;
  requesterSpecifiedId: string;
  user: Omit<ToopherUser, 'raw'>;
  raw: Record<string, unknown>;
}

/** The action an authentication request asks the user to allow. */
export interface ToopherAction {
  id: string;
  name: string;
}

/** An authentication request: granted only when `granted` and not `pending`. */
export interface ToopherAuthenticationRequest {
  id: string;
  pending: boolean;
  granted: boolean;
  automated: boolean;
  reason: string;
  /** An integer; the Python tests and every postback send it as a string, normalised here. */
  reasonCode: number;
  terminal: Omit<ToopherUserTerminal, 'raw'>;
  user: Omit<ToopherUser, 'raw'>;
  action: ToopherAction;
  raw: Record<string, unknown>;
}

const UserWire = v.looseObject({
  id: v.string(),
  name: v.string(),
  toopher_authentication_enabled: v.boolean(),
});

const toUser = (u: v.InferOutput<typeof UserWire>): Omit<ToopherUser, 'raw'> => ({
  id: u.id,
  name: u.name,
  toopherAuthenticationEnabled: u.toopher_authentication_enabled,
});

const TerminalWire = v.looseObject({
  id: v.string(),
  name: v.string(),
  requester_specified_id: v.string(),
  user: UserWire,
});

const toTerminal = (t: v.InferOutput<typeof TerminalWire>): Omit<ToopherUserTerminal, 'raw'> => ({
  id: t.id,
  name: t.name,
  requesterSpecifiedId: t.requester_specified_id,
  user: toUser(t.user),
});

const ReasonCode = v.union([
  v.pipe(v.number(), v.integer()),
  v.pipe(v.string(), v.regex(/^-?\d+$/), v.transform(Number)),
]);

/** `User`. */
export const UserSchema = v.pipe(
  UserWire,
  v.transform((u): ToopherUser => ({ ...toUser(u), raw: u })),
);

/** `[User, ...]` from `GET /users`. */
export const UserListSchema = v.array(UserSchema);

/** `Pairing`. */
export const PairingSchema = v.pipe(
  v.looseObject({ id: v.string(), enabled: v.boolean(), pending: v.boolean(), user: UserWire }),
  v.transform(
    (p): ToopherPairing => ({
      id: p.id,
      enabled: p.enabled,
      pending: p.pending,
      user: toUser(p.user),
      raw: p,
    }),
  ),
);

/** `UserTerminal`. */
export const UserTerminalSchema = v.pipe(
  TerminalWire,
  v.transform((t): ToopherUserTerminal => ({ ...toTerminal(t), raw: t })),
);

/** `AuthenticationRequest`. */
export const AuthenticationRequestSchema = v.pipe(
  v.looseObject({
    id: v.string(),
    pending: v.boolean(),
    granted: v.boolean(),
    automated: v.boolean(),
    reason: v.string(),
    reason_code: ReasonCode,
    terminal: TerminalWire,
    user: UserWire,
    action: v.looseObject({ id: v.string(), name: v.string() }),
  }),
  v.transform(
    (r): ToopherAuthenticationRequest => ({
      id: r.id,
      pending: r.pending,
      granted: r.granted,
      automated: r.automated,
      reason: r.reason,
      reasonCode: r.reason_code,
      terminal: toTerminal(r.terminal),
      user: toUser(r.user),
      action: { id: r.action.id, name: r.action.name },
      raw: r,
    }),
  ),
);

/** The reset link answer `{"url": …}`. */
export const ResetLinkSchema = v.looseObject({ url: v.string() });

/** Any JSON: for calls whose answer the SDKs ignore, and for `advanced.raw`. */
export const AnyJsonSchema = v.unknown();
