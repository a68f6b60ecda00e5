/**
 * The Toopher emulator's data: users, pairings, terminals, actions and authentication requests, with
 * seeded fixtures that come back on reset.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface User {
  id: string;
  name: string;
  enabled: boolean;
  /** The user must answer with an OTP (error 708 otherwise). */
  requiresOtp: boolean;
}

export interface Pairing {
  id: string;
  userId: string;
  enabled: boolean;
  pending: boolean;
  /** Deactivated by the user or a reset: error 707. */
  deactivated: boolean;
  totpSecret: Buffer;
  /** The TOTP time step of the last OTP accepted: that OTP and older ones are refused (RFC 6238 §5.2). */
  lastOtpStep?: number;
}

export interface Terminal {
  id: string;
  userId: string;
  name: string;
  requesterSpecifiedId: string;
}

export interface AuthenticationRequest {
  id: string;
  userId: string;
  pairingId: string;
  terminalId: string;
  actionId: string;
  pending: boolean;
  granted: boolean;
  automated: boolean;
  reason: string;
  reasonCode: number;
  createdAt: number;
  /** Set when the request was started by the iframe page: echoed in the postback. */
  sessionToken?: string;
  requesterMetadata?: string;
}

/** A seeded user and, when paired, their pairing and its TOTP secret. */
export interface SeededUser {
  userId: string;
  username: string;
  pairingId: string;
  /** Hex of the pairing's TOTP secret (what the phone app holds). */
  totpSecretHex: string;
}

/** What `emulator.fixtures.toopher` holds. */
export interface ToopherFixtures {
  consumerKey: string;
  consumerSecret: string;
  users: {
    /** Paired and enabled: authentications succeed once approved. */
    paired: SeededUser;
    /** Toopher disabled by the requester: 704. */
    disabled: SeededUser;
    /** Pairing deactivated: 707. */
    deactivated: SeededUser;
    /** Pairing not yet completed on the phone: 601. */
    pendingPairing: SeededUser;
    /** Must answer with an OTP: 708 without one. */
    otpRequired: SeededUser;
  };
}

/** Options of the Toopher module (`providerOptions.toopher`). */
export interface ToopherEmulatorOptions {
  consumerKey?: string;
  consumerSecret?: string;
  /** How long an authentication request stays pending before it times out, in ms. Default 5 minutes. */
  requestTimeoutMs?: number;
  /** How far an API request's `oauth_timestamp` may be from the emulator clock, in ms. Default 5 minutes. */
  oauthWindowMs?: number;
}

const seed = (n: number, user: string) => ({
  userId: `0000000${n}-0000-4000-8000-00000000000${n}`,
  username: user,
  pairingId: `0000000${n}-1111-4000-8000-00000000000${n}`,
  totpSecretHex: `${'3132333435363738393031323334353637383930'.slice(0, 38)}0${n}`,
});

export function defaultFixtures(options: ToopherEmulatorOptions): ToopherFixtures {
  return {
    consumerKey: options.consumerKey ?? 'toopher-emulator-consumer-key',
    consumerSecret: options.consumerSecret ?? 'toopher-emulator-consumer-secret',
    users: {
      paired: seed(1, 'alice@example.com'),
      disabled: seed(2, 'bob@example.com'),
      deactivated: seed(3, 'carol@example.com'),
      pendingPairing: seed(4, 'erin@example.com'),
      otpRequired: seed(5, 'dave@example.com'),
    },
  };
}

export class ToopherState {
  users = new Map<string, User>();
  pairings = new Map<string, Pairing>();
  terminals = new Map<string, Terminal>();
  actions = new Map<string, string>();
  requests = new Map<string, AuthenticationRequest>();

  constructor(private readonly fixtures: ToopherFixtures) {
    this.reset();
  }

  reset(): void {
    this.users.clear();
    this.pairings.clear();
    this.terminals.clear();
    this.actions.clear();
    this.requests.clear();
    const { paired, disabled, deactivated, pendingPairing, otpRequired } = this.fixtures.users;
    const add = (s: SeededUser, user: Partial<User>, pairing: Partial<Pairing>) => {
      this.users.set(s.userId, {
        id: s.userId,
        name: s.username,
        enabled: true,
        requiresOtp: false,
        ...user,
      });
      this.pairings.set(s.pairingId, {
        id: s.pairingId,
        userId: s.userId,
        enabled: true,
        pending: false,
        deactivated: false,
        totpSecret: Buffer.from(s.totpSecretHex, 'hex'),
        ...pairing,
      });
    };
    add(paired, {}, {});
    add(disabled, { enabled: false }, {});
    add(deactivated, {}, { enabled: false, deactivated: true });
    add(pendingPairing, {}, { enabled: false, pending: true });
    add(otpRequired, { requiresOtp: true }, {});
  }

  userByName(name: string): User | undefined {
    return [...this.users.values()].find((u) => u.name === name);
  }

  createUser(name: string): User {
    const user: User = { id: randomUUID(), name, enabled: true, requiresOtp: false };
    this.users.set(user.id, user);
    return user;
  }

  createPairing(userId: string): Pairing {
    const pairing: Pairing = {
      id: randomUUID(),
      userId,
      enabled: false,
      pending: true,
      deactivated: false,
      totpSecret: randomBytes(20),
    };
    this.pairings.set(pairing.id, pairing);
    return pairing;
  }

  /** The user's most relevant pairing: an enabled one, else the newest. */
  pairingOf(userId: string): Pairing | undefined {
    const all = [...this.pairings.values()].filter((p) => p.userId === userId);
    return all.find((p) => p.enabled && !p.deactivated) ?? all.at(-1);
  }

  terminalFor(
    userId: string,
    name: string | undefined,
    requesterSpecifiedId: string | undefined,
  ): Terminal | undefined {
    const mine = [...this.terminals.values()].filter((t) => t.userId === userId);
    const found = requesterSpecifiedId
      ? mine.find((t) => t.requesterSpecifiedId === requesterSpecifiedId)
      : mine.find((t) => t.name === name);
    if (found) return found;
    if (!name) return undefined;
    return this.createTerminal(userId, name, requesterSpecifiedId ?? '');
  }

  createTerminal(userId: string, name: string, requesterSpecifiedId: string): Terminal {
    const terminal: Terminal = { id: randomUUID(), userId, name, requesterSpecifiedId };
    this.terminals.set(terminal.id, terminal);
    return terminal;
  }

  actionId(name: string): string {
    let id = this.actions.get(name);
    if (!id) {
      id = randomUUID();
      this.actions.set(name, id);
    }
    return id;
  }
}
