/**
 * The Magic admin API (spec §2: the current routes and the legacy ones with their envelope) and
 * emulator-only routes that play Magic's client SDK: they mint DID tokens for test users.
 */
import { randomUUID } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { type Context, Hono } from 'hono';
import type { EmulatorEnv, ProviderModule } from '../types.js';
import { type Claim, mintDidToken, personalSign, type SigningKey, signingKey } from './did-token.js';

const WALLET_TYPES = new Set([
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
]);

/** A wallet as the API sends it. */
export interface MagicEmulatorWallet {
  wallet_type: string;
  network: string;
  public_address: string;
}

/** Options of the Magic module (`providerOptions.magic`). */
export interface MagicEmulatorOptions {
  secretKey?: string;
  clientId?: string;
}

/** The seeded fixtures (`emulator.fixtures.magic`). */
export interface MagicEmulatorFixtures {
  secretKey: string;
  clientId: string;
  user: { issuer: string; publicAddress: string; email: string; sub: string };
}

interface User {
  key: SigningKey;
  issuer: string;
  sub: string;
  email: string | null;
  username: string | null;
  phoneNumber: string | null;
  oauthProvider: string | null;
  wallets: MagicEmulatorWallet[];
  loggedIn: boolean;
  logoutCount: number;
}

const SEED_KEY = keccak_256(utf8ToBytes('authbridge emulator: magic test user'));

function newUser(key: SigningKey, email: string | null, wallets: MagicEmulatorWallet[] = []): User {
  return {
    key,
    issuer: `did:ethr:${key.address}`,
    sub: Buffer.from(keccak_256(utf8ToBytes(key.address))).toString('base64'),
    email,
    username: null,
    phoneNumber: null,
    oauthProvider: null,
    wallets,
    loggedIn: false,
    logoutCount: 0,
  };
}

function failure(c: Context<EmulatorEnv>, status: 400 | 401 | 404, errorCode: string, message: string) {
  return c.json({ data: {}, error_code: errorCode, message, status: 'failed' }, status);
}

async function jsonBody(c: Context<EmulatorEnv>): Promise<Record<string, unknown> | undefined> {
  // JS 2.8.2 posts JSON as text/plain, Python as application/json: read the text whatever the type.
  try {
    const parsed: unknown = JSON.parse(await c.req.text());
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const magicModule: ProviderModule = {
  id: 'magic',
  create(context, rawOptions) {
    const options = (rawOptions ?? {}) as MagicEmulatorOptions;
    const secretKey = options.secretKey ?? 'sk_test_authbridge_emulator';
    const clientId = options.clientId ?? 'emulator-client-3w_mzVi-h3mS77pVxo_rvRaZ4vY=';
    const seeded = (): User => {
      const key = signingKey(SEED_KEY);
      return newUser(key, 'test-user@example.com', [
        { wallet_type: 'ETH', network: 'MAINNET', public_address: key.address },
        {
          wallet_type: 'SOLANA',
          network: 'MAINNET',
          public_address: '7Np41oeYqPefeNQEHSv1UDhYrehxin3NStELsSKCT4K2',
        },
      ]);
    };
    const users = new Map<string, User>();
    const reset = () => {
      users.clear();
      const user = seeded();
      users.set(user.issuer.toLowerCase(), user);
    };
    reset();
    const seed = seeded();
    const fixtures: MagicEmulatorFixtures = {
      secretKey,
      clientId,
      user: {
        issuer: seed.issuer,
        publicAddress: seed.key.address,
        email: seed.email as string,
        sub: seed.sub,
      },
    };
    const findUser = (issuer: string | undefined) => (issuer ? users.get(issuer.toLowerCase()) : undefined);

    const app = new Hono<EmulatorEnv>();

    const admin = new Hono<EmulatorEnv>();
    const requireSecretKey = async (c: Context<EmulatorEnv>, next: () => Promise<void>) => {
      const given = c.req.header('x-magic-secret-key');
      if (!given) return failure(c, 401, 'API_KEY_MISSING', 'Missing X-Magic-Secret-Key header.');
      if (given !== secretKey) return failure(c, 401, 'API_KEY_INVALID', 'The secret API key is not valid.');
      await next();
      return undefined;
    };
    admin.use('/v1/*', requireSecretKey);
    admin.use('/v2/*', requireSecretKey);

    const clientInfo = () => ({ client_id: clientId, app_scope: 'GLOBAL' });
    const metadata = (c: Context<EmulatorEnv>) => {
      const user = findUser(c.req.query('issuer'));
      const rawType = c.req.query('wallet_type') ?? 'NONE';
      // The Python SDK sends the enum's repr, `WalletType.NONE`: accepted as NONE.
      const walletType = rawType.replace(/^WalletType\./, '');
      if (!c.req.query('issuer'))
        return { error: failure(c, 400, 'MISSING_ISSUER', 'The issuer parameter is required.') };
      if (!WALLET_TYPES.has(walletType))
        return { error: failure(c, 400, 'INVALID_WALLET_TYPE', `Unknown wallet_type ${walletType}.`) };
      if (!user) return { error: failure(c, 404, 'USER_NOT_FOUND', 'No user has this issuer.') };
      const wallets =
        walletType === 'NONE'
          ? null
          : user.wallets.filter((w) => walletType === 'ANY' || w.wallet_type === walletType);
      return {
        data: {
          issuer: user.issuer,
          public_address: user.key.address,
          email: user.email,
          oauth_provider: user.oauthProvider,
          phone_number: user.phoneNumber,
          username: user.username,
          wallets,
        },
      };
    };
    const logout = async (c: Context<EmulatorEnv>) => {
      const body = await jsonBody(c);
      const issuer = typeof body?.issuer === 'string' ? body.issuer : undefined;
      if (!issuer)
        return { error: failure(c, 400, 'MISSING_ISSUER', 'The body must be JSON with an issuer.') };
      const user = findUser(issuer);
      if (!user) return { error: failure(c, 404, 'USER_NOT_FOUND', 'No user has this issuer.') };
      user.loggedIn = false;
      user.logoutCount += 1;
      return { data: {} };
    };
    const legacy = (data: unknown) => ({ data, error_code: '', message: '', status: 'ok' });

    admin.get('/v1/admin/client', (c) => c.json(clientInfo()));
    admin.get('/v1/admin/user', (c) => {
      const result = metadata(c);
      return result.error ?? c.json(result.data);
    });
    admin.post('/v1/admin/user/logout', async (c) => {
      const result = await logout(c);
      return result.error ?? c.json(result.data);
    });
    admin.get('/v1/admin/client/get', (c) => c.json(legacy(clientInfo())));
    admin.get('/v1/admin/auth/user/get', (c) => {
      const result = metadata(c);
      return result.error ?? c.json(legacy(result.data));
    });
    admin.post('/v2/admin/auth/user/logout', async (c) => {
      const result = await logout(c);
      return result.error ?? c.json(legacy(result.data));
    });

    // Emulator-only: play the user and Magic's client SDK.
    const play = new Hono<EmulatorEnv>();
    play.post('/users', async (c) => {
      const body = (await jsonBody(c)) ?? {};
      const user = newUser(signingKey(), typeof body.email === 'string' ? body.email : null);
      if (typeof body.username === 'string') user.username = body.username;
      user.wallets.push({ wallet_type: 'ETH', network: 'MAINNET', public_address: user.key.address });
      users.set(user.issuer.toLowerCase(), user);
      return c.json({ issuer: user.issuer, publicAddress: user.key.address, email: user.email }, 201);
    });
    play.get('/users/:issuer/session', (c) => {
      const user = findUser(c.req.param('issuer'));
      if (!user) return failure(c, 404, 'USER_NOT_FOUND', 'No user has this issuer.');
      return c.json({ loggedIn: user.loggedIn, logoutCount: user.logoutCount });
    });
    play.post('/did-tokens', async (c) => {
      const body = (await jsonBody(c)) ?? {};
      const user = findUser(typeof body.issuer === 'string' ? body.issuer : fixtures.user.issuer);
      if (!user) return failure(c, 404, 'USER_NOT_FOUND', 'No user has this issuer.');
      const lifespan = typeof body.lifespan === 'number' ? body.lifespan : 900;
      const attachment = typeof body.attachment === 'string' ? body.attachment : 'none';
      let now = Math.floor(context.now() / 1000);
      if (body.expired === true) now -= lifespan + 60;
      const nbf = body.notYetValid === true ? now + 3600 : now;
      const claim: Claim = {
        iat: now,
        ext: now + lifespan,
        iss: user.issuer,
        sub: user.sub,
        aud: typeof body.audience === 'string' ? body.audience : clientId,
        nbf,
        tid: randomUUID(),
        add: personalSign(attachment, user.key.privateKey),
      };
      user.loggedIn = true;
      return c.json({ didToken: mintDidToken(claim, user.key.privateKey), claim }, 201);
    });

    app.route('/_emulator', play);
    app.route('/', admin);
    // Unknown paths (and methods) under /magic answer in Magic's error shape, not the harness's
    // generic {error, message}: clients read status, error_code, message and data (spec §2.7).
    // Under /v1 and /v2 the secret-key check still runs first, as on the real API.
    app.all('*', (c) =>
      failure(
        c,
        404,
        'NOT_FOUND',
        `No Magic admin route for ${c.req.method} ${new URL(c.req.url).pathname}.`,
      ),
    );
    return { app, reset, fixtures };
  },
};
