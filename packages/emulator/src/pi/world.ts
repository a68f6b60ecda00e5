/**
 * The mutable world one Pi module instance serves, and the reply helpers its routes share.
 */
import type { Context } from 'hono';
import type { EmulatorContext, EmulatorEnv } from '../types.js';
import {
  type AdRecord,
  DEFAULT_APPS,
  DEFAULT_USERS,
  isAddress,
  type LedgerAccount,
  type LedgerTx,
  type PaymentRecord,
  type PiEmulatorApp,
  type PiEmulatorOptions,
  type PiEmulatorUser,
  type SentNotification,
  seededToken,
  type TokenRecord,
} from './state.js';

export interface PiWorld {
  context: EmulatorContext;
  settings: Required<Omit<PiEmulatorOptions, 'apps' | 'users'>>;
  apps: PiEmulatorApp[];
  users: PiEmulatorUser[];
  tokens: Map<string, TokenRecord>;
  payments: Map<string, PaymentRecord>;
  ledger: Map<string, LedgerTx>;
  /** Accounts on the emulated chain, by account id. */
  accounts: Map<string, LedgerAccount>;
  /** The number of the last closed ledger: one per transaction submitted through Horizon. */
  ledgerNumber: number;
  ads: Map<string, AdRecord>;
  notifications: SentNotification[];
  /** A2U cancellations per app, for `too_many_cancelled_payments`. */
  cancellations: { appId: string; atMs: number }[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function createWorld(context: EmulatorContext, options: PiEmulatorOptions = {}): PiWorld {
  return {
    context,
    settings: {
      tokenTtlSec: options.tokenTtlSec ?? 3600,
      a2uDailyLimit: options.a2uDailyLimit ?? 20,
      a2uCancelledDailyLimit: options.a2uCancelledDailyLimit ?? 5,
      notificationDailyQuota: options.notificationDailyQuota ?? 48,
      approvalTimeoutMs: options.approvalTimeoutMs ?? 60_000,
      baseFeeStroops: options.baseFeeStroops ?? 100_000,
      walletBalancePi: options.walletBalancePi ?? 1000,
    },
    apps: options.apps ?? DEFAULT_APPS,
    users: options.users ?? DEFAULT_USERS,
    tokens: new Map(),
    payments: new Map(),
    ledger: new Map(),
    accounts: new Map(),
    ledgerNumber: 1,
    ads: new Map(),
    notifications: [],
    cancellations: [],
  };
}

/** Forgets everything created since start and issues the seeded tokens afresh from the current clock. */
export function resetWorld(world: PiWorld): void {
  world.tokens.clear();
  world.payments.clear();
  world.ledger.clear();
  world.accounts.clear();
  world.ledgerNumber = 1;
  // Every valid seeded wallet exists on chain, funded, with the sequence number of a fresh account.
  const balance = BigInt(Math.round(world.settings.walletBalancePi * 1e7));
  for (const address of [
    ...world.apps.map((a) => a.walletAddress),
    ...world.users.map((u) => u.walletAddress),
  ]) {
    if (address && isAddress(address)) world.accounts.set(address, { balance, sequence: 1n << 32n });
  }
  world.ads.clear();
  world.notifications.length = 0;
  world.cancellations.length = 0;
  const defaultApp = world.apps[0];
  if (!defaultApp) return;
  for (const user of world.users) {
    world.tokens.set(seededToken(user.username), {
      uid: user.uid,
      appId: defaultApp.id,
      scopes: user.scopes,
      expiresAtMs: world.context.now() + world.settings.tokenTtlSec * 1000,
      revoked: false,
    });
  }
}

/** The Pi error body of payment routes: `{ error, error_message, payment?, verification_error? }`. */
export function piError(
  c: Context<EmulatorEnv>,
  status: number,
  error: string,
  message: string | undefined,
  extra: Record<string, unknown> = {},
): Response {
  const body: Record<string, unknown> = { error };
  if (message !== undefined) body.error_message = message;
  return c.json({ ...body, ...extra }, status as 400);
}

/** The request body as JSON, or `undefined` when it is missing or not JSON. */
export async function jsonBody(c: Context<EmulatorEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const AUTH_REQUIRED = 'This endpoint requires either a Server API Key or Access Token authorization.';

/** The app whose `Authorization: Key <key>` header the request carries, or a 401 reply. */
export function appFromKey(c: Context<EmulatorEnv>, world: PiWorld): PiEmulatorApp | Response {
  const match = /^Key (\S+)$/.exec(c.req.header('authorization') ?? '');
  const app = match ? world.apps.find((a) => a.apiKey === match[1]) : undefined;
  return app ?? piError(c, 401, 'unauthorized', AUTH_REQUIRED);
}

/** The live token record of `Authorization: Bearer <token>`, or a 401 reply. */
export function tokenFromBearer(c: Context<EmulatorEnv>, world: PiWorld): TokenRecord | Response {
  const match = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '');
  if (!match) return piError(c, 401, 'unauthorized', AUTH_REQUIRED);
  const token = world.tokens.get(match[1] ?? '');
  if (!token || token.revoked || token.expiresAtMs <= world.context.now()) {
    return piError(c, 401, 'invalid_token', 'The access token is invalid or expired.');
  }
  return token;
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();
