/**
 * The state of the Pi emulator: apps (each with its own server API key), Pioneers, access tokens,
 * payments, the fake ledger of chain transactions, rewarded ads and sent notifications.
 * Everything here is written from the platform's side of spec pi.md; nothing is shared with the SDK.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Keypair, StrKey } from '@stellar/stellar-base';

export type PiNetworkName = 'Pi Network' | 'Pi Testnet';

/** One registered app. */
export interface PiEmulatorApp {
  id: string;
  apiKey: string;
  network: PiNetworkName;
  /** The app wallet: `from_address` of A2U payments, `to_address` of U2A ones. */
  walletAddress: string;
  /**
   * The app wallet's secret seed (`S...`), which signs A2U transactions; the emulator's Horizon checks
   * their signature against `walletAddress`. Seeded apps have one; an app without one cannot pay.
   */
  walletSeed?: string;
  /** Whether app-to-user payments are enabled (`feature_not_available` otherwise). */
  a2u: boolean;
}

/** One Pioneer. `scopes` are what they granted every app; `walletAddress` may be absent or invalid on purpose. */
export interface PiEmulatorUser {
  uid: string;
  username: string;
  scopes: string[];
  walletAddress?: string;
}

/** What `emulator.fixtures.pi` holds. */
export interface PiEmulatorFixtures {
  /** The first app's Server API Key: the one most tests need. */
  apiKey: string;
  /** Horizon's path per network, under the Pi base URL (`${urls.pi}${horizonPaths['Pi Testnet']}`). */
  horizonPaths: Record<PiNetworkName, string>;
  /** Every app, by id. */
  apps: Record<string, PiEmulatorApp>;
  /** Every Pioneer, by username, with a seeded access token (`Authorization: Bearer`) valid from the start. */
  users: Record<string, PiEmulatorUser & { accessToken: string }>;
}

/** Options of the Pi module (`providerOptions.pi`). Every field has a seeded default. */
export interface PiEmulatorOptions {
  apps?: PiEmulatorApp[];
  users?: PiEmulatorUser[];
  /** Lifetime of seeded and minted access tokens, in seconds. Default 3600. */
  tokenTtlSec?: number;
  /** A2U payments an app may create per 24 h (`too_many_payments`). Default 20. */
  a2uDailyLimit?: number;
  /** A2U payments an app may cancel per 24 h before creation is refused (`too_many_cancelled_payments`). Default 5. */
  a2uCancelledDailyLimit?: number;
  /** Notifications per Pioneer per app per 24 h. Default 48. */
  notificationDailyQuota?: number;
  /** An unapproved U2A payment is cancelled by Pi after this long, in ms. Default 60000. */
  approvalTimeoutMs?: number;
  /** The Horizon base fee per operation, in stroops (`fee_stats`). Default 100000 (0.01 Pi, Pi's fee). */
  baseFeeStroops?: number;
  /** The native balance of every seeded wallet on the emulated chain, in Pi. Default 1000. */
  walletBalancePi?: number;
}

export interface PaymentStatus {
  developer_approved: boolean;
  transaction_verified: boolean;
  developer_completed: boolean;
  cancelled: boolean;
  user_cancelled: boolean;
}

/** The PaymentDTO as Pi sends it. */
export interface PaymentDto {
  identifier: string;
  user_uid: string;
  amount: number;
  memo: string;
  metadata: Record<string, unknown>;
  from_address: string;
  to_address: string;
  direction: 'user_to_app' | 'app_to_user';
  created_at: string;
  network: PiNetworkName;
  status: PaymentStatus;
  transaction: null | { txid: string; verified: boolean; _link: string };
}

export interface PaymentRecord {
  appId: string;
  createdAtMs: number;
  cancelledAtMs?: number;
  dto: PaymentDto;
}

/** A transaction on the emulated chain. */
export interface LedgerTx {
  txid: string;
  memo: string;
  amount: number;
  from: string;
  to: string;
  createdAtMs: number;
  /** False for a transaction applied as failed (fee charged, sequence used, nothing paid). */
  successful: boolean;
  /** The network it was submitted on; absent for the emulator's own Pioneer-signed stand-ins. */
  network?: PiNetworkName;
  /** Set for transactions submitted through the emulator's Horizon. */
  submitted?: {
    ledger: number;
    sequence: string;
    fee: string;
    envelopeXdr: string;
    resultXdr: string;
    minTime: string;
    maxTime: string;
    signatures: string[];
    operationCodes: string[];
  };
}

/** An account on the emulated chain: its native balance in stroops and its sequence number. */
export interface LedgerAccount {
  balance: bigint;
  sequence: bigint;
}

export interface TokenRecord {
  uid: string;
  appId: string;
  scopes: string[];
  expiresAtMs: number;
  revoked: boolean;
}

export interface AdRecord {
  appId: string;
  status: 'granted' | 'revoked' | 'failed' | null;
  grantedAt: string | null;
  revokedAt: string | null;
}

export interface SentNotification {
  appId: string;
  id: string;
  title: string;
  body: string;
  user_uid: string;
  subroute: string;
  seen_at: null;
  dismissed_at: null;
  sentAtMs: number;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** A payment identifier: 28 alphanumerics, the length of a Stellar text memo. */
export const newPaymentId = (): string => randomFrom(BASE62, 28);
/** A transaction hash: 64 lower-case hex characters. */
export const newTxid = (): string => randomBytes(32).toString('hex');
/** A Stellar-style account id: `G` and 55 base32 characters. */
export const newAddress = (): string => `G${randomFrom(BASE32, 55)}`;
export const isAddress = (value: string): boolean => StrKey.isValidEd25519PublicKey(value);
export const newAccessToken = (): string => randomBytes(32).toString('base64url');

/**
 * A seeded wallet: a real Stellar key pair derived from its name, so that the demo and docs can name
 * it and the emulator's Horizon can check signatures. Never use these keys outside the emulator.
 */
export function seededKeypair(name: string): Keypair {
  return Keypair.fromRawEd25519Seed(createHash('sha256').update(`authbridge-emulator:${name}`).digest());
}
const seededAddress = (name: string): string => seededKeypair(name).publicKey();
const seededSeed = (name: string): string => seededKeypair(name).secret();

export const DEFAULT_APPS: PiEmulatorApp[] = [
  {
    id: 'app',
    apiKey: 'pi-emulator-app-key-0001',
    network: 'Pi Testnet',
    walletAddress: seededAddress('appwallet'),
    walletSeed: seededSeed('appwallet'),
    a2u: true,
  },
  {
    id: 'otherApp',
    apiKey: 'pi-emulator-app-key-0002',
    network: 'Pi Testnet',
    walletAddress: seededAddress('otherappwallet'),
    walletSeed: seededSeed('otherappwallet'),
    a2u: true,
  },
  {
    id: 'mainnetApp',
    apiKey: 'pi-emulator-app-key-0003',
    network: 'Pi Network',
    walletAddress: seededAddress('mainnetwallet'),
    walletSeed: seededSeed('mainnetwallet'),
    a2u: false,
  },
];

export const DEFAULT_USERS: PiEmulatorUser[] = [
  {
    uid: 'a1c3e5f7-0000-4000-8000-00000000a11c',
    username: 'alice',
    scopes: ['username', 'payments', 'wallet_address', 'in_app_notifications'],
    walletAddress: seededAddress('alicewallet'),
  },
  { uid: 'b0b0b0b0-0000-4000-8000-000000000b0b', username: 'bob', scopes: ['username', 'payments'] },
  { uid: 'ca201ca2-0000-4000-8000-0000000ca201', username: 'carol', scopes: ['payments', 'wallet_address'] },
  {
    uid: 'da7eda7e-0000-4000-8000-0000000da7e0',
    username: 'dave',
    scopes: ['username', 'wallet_address', 'in_app_notifications'],
    walletAddress: 'not-a-stellar-address',
  },
];

/** The seeded token of a user: stable across resets, so tests and the demo can hard-wire it. */
export const seededToken = (username: string): string => `pi-emulator-token-${username}-0123456789abcdef`;
