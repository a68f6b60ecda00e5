/**
 * The Picket API emulator (spec §9), mounted under `/picket`: `/api/v1/...` as Picket serves it, and
 * test helpers under `/_emulator/...`. See `docs/picket.md`.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { exportJWK, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { EmulatorEnv, ProviderModule } from '../types.js';
import {
  CHAINS,
  PICKET_TOKENS,
  type PicketChain,
  type PicketEmulatorFixtures,
  type PicketEmulatorOptions,
  type PicketProject,
  SEEDED_PROJECTS,
  seededWallets,
  statementFor,
  type TestWallet,
} from './fixtures.js';
import {
  hasTokenRequirement,
  isAllowedWallet,
  meetsTokenRequirement,
  mergeBalances,
  type Requirements,
  readBalances,
  readRequirements,
  type ServedBalances,
  totalBalance,
} from './gating.js';
import {
  evmSignatureMatches,
  type LoginContext,
  loginMessage,
  signAsWallet,
  solanaSignatureMatches,
} from './signing.js';

type C = Context<EmulatorEnv>;

/** Where Picket serves its API; the emulator serves it at the provider's root as well. */
const API_BASE_PATH = '/api/v1';

/** A Picket error: `{ msg, code }` with its status. */
class PicketFailure extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

const fail = (status: PicketFailure['status'], code: string, msg: string): never => {
  throw new PicketFailure(status, code, msg);
};

/**
 * Reads the API key from `Authorization: Basic …` in all four spellings clients send (spec §1):
 * `base64(key:)`, `base64(key)`, any case of `Basic`, any run of spaces.
 */
export function readBasicKey(header: string | undefined): string | undefined {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const key = decoded.split(':')[0] ?? '';
  return key === '' ? undefined : key;
}

interface NonceEntry {
  nonce: string;
  locale: string | undefined;
  expiresAt: number;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function newNonce(): string {
  // 16 characters: above SIWE's 8-character minimum, ~95 bits.
  return [...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

const isEvm = (address: string) => /^0x[0-9a-fA-F]{40}$/.test(address);
const walletKey = (address: string) => (isEvm(address) ? address.toLowerCase() : address);
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The SIWE context of an `/auth` body, bound to the chain being signed in to: its `chainId` must be
 * that chain's id and its `chainType` (when sent) that chain's type, or a signature made for one
 * chain would log in on another (wallet-standards pitfall 7).
 */
function readContext(raw: unknown, chain: PicketChain): LoginContext | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  // picket-python sends {} and picket-go empty strings: an empty domain means no context (spec §2.2).
  if (!text(r.domain)) return undefined;
  const chainId = typeof r.chainId === 'string' && /^\d+$/.test(r.chainId) ? Number(r.chainId) : r.chainId;
  if (!text(r.uri) || !text(r.issuedAt) || typeof chainId !== 'number' || !chainId) {
    fail(400, 'parameter_invalid', 'context needs domain, uri, a non-zero chainId and issuedAt');
  }
  if (chainId !== chain.chainId) {
    fail(
      400,
      'parameter_invalid',
      `context.chainId ${String(chainId)} is not the id of chain ${chain.chainSlug} (${chain.chainId})`,
    );
  }
  const type = text(r.chainType) ?? chain.chainType;
  if (type !== chain.chainType) {
    fail(
      400,
      'parameter_invalid',
      `context.chainType ${type} is not the type of chain ${chain.chainSlug} (${chain.chainType})`,
    );
  }
  return {
    domain: r.domain as string,
    uri: r.uri as string,
    chainId: chainId as number,
    issuedAt: r.issuedAt as string,
    chainType: chain.chainType,
    locale: text(r.locale),
  };
}

/** The Picket emulator module. */
export const picketModule: ProviderModule = {
  id: 'picket',
  create(context, rawOptions) {
    const options = (rawOptions ?? {}) as PicketEmulatorOptions;
    const projects: PicketProject[] = options.projects ?? SEEDED_PROJECTS;
    const wallets: TestWallet[] = [...seededWallets(), ...(options.wallets ?? [])];
    const tokenTtl = options.tokenTtlSeconds ?? 43_200;
    const nonceTtlMs = (options.nonceTtlSeconds ?? 120) * 1000;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = `picket-emulator-${randomUUID().slice(0, 8)}`;
    const nonces = new Map<string, NonceEntry>();
    const walletsByKey = new Map(wallets.map((w) => [walletKey(w.address), w]));

    const projectOf = (c: C): PicketProject => {
      const key = readBasicKey(c.req.header('authorization'));
      if (!key)
        return fail(401, 'authentication_required', 'An API key is required (HTTP Basic, key as user name)');
      const project = projects.find((p) => p.secretKey === key || p.publishableKey === key);
      return project ?? fail(401, 'api_key_invalid', 'Invalid project key');
    };

    const bodyOf = async (c: C): Promise<Record<string, unknown>> => {
      const raw = await c.req.text();
      if (raw.trim() === '') return {};
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          return parsed as Record<string, unknown>;
      } catch {
        // falls through to the 400 below
      }
      return fail(400, 'parameter_invalid', 'The body must be a JSON object');
    };

    const chainOf = (slug: string) => CHAINS.find((chain) => chain.chainSlug === slug);

    const issueToken = async (project: PicketProject, user: Record<string, unknown>): Promise<string> => {
      const iat = Math.floor(context.now() / 1000);
      return new SignJWT({
        ...user,
        email: `${String(user.walletAddress).toLowerCase()}@wallet.picket.emulator`,
        tid: randomUUID(),
        ver: 1,
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
        .setIssuer('picketapi.com')
        .setSubject(`${user.chain}:${user.walletAddress}`)
        .setAudience(project.id)
        .setIssuedAt(iat)
        .setExpirationTime(iat + tokenTtl)
        .sign(privateKey);
    };

    const claimsOf = async (project: PicketProject, token: unknown): Promise<Record<string, unknown>> => {
      if (typeof token !== 'string' || token === '')
        return fail(400, 'parameter_invalid', 'access token is empty');
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['ES256'],
          issuer: 'picketapi.com',
          audience: project.id,
          currentDate: new Date(context.now()),
        });
        return payload as Record<string, unknown>;
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired)
          return fail(401, 'authentication_required', 'Access token expired');
        return fail(401, 'authentication_required', 'Invalid access token');
      }
    };

    /**
     * The OR rule: allow-listed, or holding enough. Throws 403 otherwise. Requirements with nothing
     * to count (only an allow-list, or only a minimum) sum to 0 and fail, as picket-js's check does.
     */
    const assertAllowed = (r: Requirements | undefined, walletAddress: string, balances: ServedBalances) => {
      if (!r) return;
      if (isAllowedWallet(r, walletAddress)) return;
      const meets = meetsTokenRequirement(balances, r);
      if (meets === undefined)
        fail(400, 'parameter_invalid', 'minTokenBalance must be a non-negative decimal');
      if (meets) return;
      if (r.allowedWallets && !hasTokenRequirement(r))
        fail(403, 'permission_denied', 'Wallet is not one of the allowed wallet addresses');
      fail(403, 'permission_denied', "Wallet doesn't hold the necessary tokens to login");
    };

    const app = new Hono<EmulatorEnv>();
    app.onError((error, c) => {
      if (error instanceof PicketFailure)
        return c.json({ msg: error.message, code: error.code }, error.status);
      return c.json({ msg: 'Internal emulator error', code: 'internal_error' }, 500);
    });
    // Picket's API, served under /api/v1 as Picket serves it and at the provider's root too, so
    // `emulator.urls.picket` works as a client's baseUrl like every other provider's URL.
    const api = new Hono<EmulatorEnv>();

    api.post('/auth/nonce', async (c) => {
      const project = projectOf(c);
      const body = await bodyOf(c);
      // picket-go spells it wallet_address (spec §7.3).
      const walletAddress = text(body.walletAddress) ?? text(body.wallet_address);
      const chain = text(body.chain) ?? 'ethereum';
      if (!walletAddress) return fail(400, 'parameter_invalid', 'walletAddress parameter is required');
      if (!chainOf(chain)) return fail(400, 'parameter_invalid', `Chain ${chain} is not supported`);
      const locale = text(body.locale);
      const key = `${project.id}|${walletKey(walletAddress)}`;
      const existing = nonces.get(key);
      const now = context.now();
      const entry =
        existing && existing.expiresAt > now
          ? { ...existing, locale: locale ?? existing.locale }
          : { nonce: newNonce(), locale, expiresAt: now + nonceTtlMs };
      nonces.set(key, entry);
      return c.json({ nonce: entry.nonce, statement: statementFor(entry.locale), format: project.format });
    });

    api.post('/auth', async (c) => {
      const project = projectOf(c);
      const body = await bodyOf(c);
      // Everything from here to the nonce deletion is synchronous: of concurrent logins with one
      // nonce, exactly one can pass.
      const walletAddress = text(body.walletAddress) ?? text(body.wallet_address);
      const signature = text(body.signature);
      const chain = text(body.chain) ?? 'ethereum';
      if (!walletAddress) return fail(400, 'parameter_invalid', 'walletAddress parameter is required');
      if (!signature) return fail(400, 'parameter_invalid', 'signature parameter is required');
      const info =
        chainOf(chain) ?? fail(400, 'parameter_invalid', `Chain ${chain} is not supported for token gating`);
      if (info.chainType === 'flow')
        return fail(400, 'parameter_invalid', 'The emulator cannot verify Flow signatures');
      // Before 2022-04-11 requirements sat flat in the body; a docs example still sends them so.
      const requirements = readRequirements(body.requirements) ?? readRequirements(body);
      const loginContext = readContext(body.context, info);
      const key = `${project.id}|${walletKey(walletAddress)}`;
      const entry = nonces.get(key);
      if (!entry || entry.expiresAt <= context.now()) {
        return fail(
          401,
          'authentication_required',
          'Invalid signature: the nonce expired or was already used; request a new nonce',
        );
      }
      const message = loginMessage({
        format: project.format,
        statement: statementFor(loginContext?.locale ?? entry.locale),
        nonce: entry.nonce,
        walletAddress,
        context: loginContext,
      });
      if (message === undefined)
        return fail(400, 'parameter_invalid', 'context is required: this project signs SIWE messages');
      const valid =
        info.chainType === 'solana'
          ? solanaSignatureMatches(walletAddress, message, signature)
          : evmSignatureMatches(walletAddress, message, signature);
      if (!valid) return fail(401, 'authentication_required', 'Invalid signature');
      const held = walletsByKey.get(walletKey(walletAddress));
      const tokenBalances = requirements ? readBalances(held?.balances, requirements) : {};
      assertAllowed(requirements, walletAddress, tokenBalances);
      nonces.delete(key);
      const user: Record<string, unknown> = {
        chain,
        walletAddress,
        displayAddress: held?.displayAddress ?? walletAddress,
        tokenBalances,
      };
      // The legacy single-requirement claims appear only when the request had them (spec §4).
      if (requirements?.contractAddress) {
        user.contractAddress = requirements.contractAddress;
        user.tokenBalance = totalBalance(tokenBalances, requirements);
      }
      if (requirements?.tokenIds) user.tokenIds = requirements.tokenIds;
      return c.json({ accessToken: await issueToken(project, user), user });
    });

    const userOf = (claims: Record<string, unknown>) => {
      const { iat, exp, iss, sub, aud, tid, ver, email, ...user } = claims;
      return user;
    };

    api.post('/authz', async (c) => {
      const project = projectOf(c);
      const body = await bodyOf(c);
      const claims = await claimsOf(project, body.accessToken);
      const requirements =
        readRequirements(body.requirements) ??
        fail(400, 'parameter_invalid', 'requirements parameter is required');
      const walletAddress = String(claims.walletAddress);
      const cached = (claims.tokenBalances ?? {}) as ServedBalances;
      const cachedPasses =
        body.revalidate !== true &&
        hasTokenRequirement(requirements) &&
        meetsTokenRequirement(cached, requirements);
      const fresh = cachedPasses
        ? {}
        : readBalances(walletsByKey.get(walletKey(walletAddress))?.balances, requirements);
      const tokenBalances = mergeBalances(cached, fresh);
      assertAllowed(requirements, walletAddress, tokenBalances);
      const user = { ...userOf(claims), tokenBalances };
      return c.json({ accessToken: await issueToken(project, user), user });
    });

    api.post('/auth/validate', async (c) => {
      const project = projectOf(c);
      const body = await bodyOf(c);
      const claims = await claimsOf(project, body.accessToken);
      const requirements = readRequirements(body.requirements);
      assertAllowed(
        requirements,
        String(claims.walletAddress),
        (claims.tokenBalances ?? {}) as ServedBalances,
      );
      return c.json(claims);
    });

    api.post('/chains/:chain/wallets/:walletAddress/tokenOwnership', async (c) => {
      projectOf(c);
      const body = await bodyOf(c);
      const chain = c.req.param('chain');
      const walletAddress = c.req.param('walletAddress');
      const info =
        chainOf(chain) ?? fail(400, 'parameter_invalid', `Chain ${chain} is not supported for token gating`);
      // picket-python's README nests the fields under `requirements`; its tests and the docs send them flat.
      const requirements = readRequirements(body.requirements) ?? readRequirements(body);
      if (!requirements || !hasTokenRequirement(requirements)) {
        return fail(
          400,
          'parameter_invalid',
          info.chainType === 'solana'
            ? 'tokenIds parameter is required for solana - see docs for reference.'
            : 'contractAddress parameter is required for EVM chains - see docs for reference.',
        );
      }
      const tokenBalances = readBalances(walletsByKey.get(walletKey(walletAddress))?.balances, requirements);
      const allowed = meetsTokenRequirement(tokenBalances, requirements);
      if (allowed === undefined)
        return fail(400, 'parameter_invalid', 'minTokenBalance must be a non-negative decimal');
      return c.json({
        allowed,
        walletAddress,
        tokenBalance: totalBalance(tokenBalances, requirements),
        tokenBalances,
      });
    });

    api.get('/chains', (c) => {
      projectOf(c);
      return c.json({ data: CHAINS });
    });

    api.get('/chains/:chain', (c) => {
      projectOf(c);
      const info = chainOf(c.req.param('chain'));
      return info ? c.json(info) : fail(404, 'resource_not_found', `Chain ${c.req.param('chain')} not found`);
    });

    // Emulator-only helpers: not part of Picket's API.
    app.get('/_emulator/jwks', async (c) =>
      c.json({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }),
    );
    app.get('/_emulator/wallets', (c) => c.json({ wallets }));
    app.post('/_emulator/sign', async (c) => {
      const body = await bodyOf(c);
      const wallet = walletsByKey.get(walletKey(String(body.walletAddress ?? '')));
      if (!wallet) return fail(404, 'resource_not_found', 'No seeded test wallet has this address');
      const { privateKey } = wallet;
      if (privateKey === undefined) {
        return fail(
          404,
          'resource_not_found',
          'This wallet was seeded without a key: the emulator cannot sign for it',
        );
      }
      if (typeof body.message !== 'string') return fail(400, 'parameter_invalid', 'message must be a string');
      return c.json({ signature: signAsWallet({ chain: wallet.chain, privateKey }, body.message) });
    });

    app.route(API_BASE_PATH, api);
    app.route('/', api);
    // Unknown paths answer in Picket's error shape, which picket-node and picket-python parse.
    app.all('*', (c) =>
      fail(
        404,
        'resource_not_found',
        `No Picket API route for ${c.req.method} ${new URL(c.req.url).pathname}`,
      ),
    );

    return {
      app,
      reset: () => nonces.clear(),
      fixtures: {
        projects,
        wallets,
        tokens: PICKET_TOKENS,
        chains: CHAINS,
        apiBasePath: API_BASE_PATH,
      } satisfies PicketEmulatorFixtures,
    };
  },
};
