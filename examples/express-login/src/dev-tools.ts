/**
 * DEVELOPMENT ONLY. Routes that play the user's side of each provider against the emulators: Pi Browser
 * and Magic's login form (minting tokens), a wallet (the demo's own development wallet, whose key never
 * leaves this process), and the Toopher phone app. They are mounted only by the demo, never
 * by `main.ts`, and a production server must not have them.
 */
import type { Emulator } from '@authbridge/emulator';
import { Router } from 'express';
import type { DevWallet } from './dev-wallet.js';
import { AppError } from './http-errors.js';
import { type ProviderSettings, WALLET_CHAINS, type WalletChain } from './providers.js';

/** The providers the demo signs in with, in the order it shows them. */
export const DEMO_PROVIDERS = ['pi', 'magic', 'picket', 'toopher', 'wallet'] as const;

/** The parts of each emulator's fixtures the demo reads. */
interface DemoFixtures {
  pi?: { apiKey: string; users: Record<string, { uid: string; username: string }> };
  magic?: { secretKey: string };
  picket?: { apiBasePath: string; projects: { secretKey: string; format: string }[] };
  toopher?: { consumerKey: string; consumerSecret: string; users: { paired: { username: string } } };
}

const PI_USER = 'alice';

/** Provider settings that point each provider at its emulator, with the emulator's seeded keys. */
export function emulatorSettings(emulator: Emulator): ProviderSettings {
  const { urls } = emulator;
  const fixtures = emulator.fixtures as DemoFixtures;
  const settings: ProviderSettings = {};
  if (urls.pi && fixtures.pi) settings.pi = { apiKey: fixtures.pi.apiKey, baseUrl: urls.pi };
  if (urls.magic && fixtures.magic)
    settings.magic = { secretKey: fixtures.magic.secretKey, baseUrl: urls.magic };
  const picketProject = fixtures.picket?.projects.find((project) => project.format === 'simple');
  if (urls.picket && fixtures.picket && picketProject) {
    settings.picket = { apiKey: picketProject.secretKey, baseUrl: urls.picket + fixtures.picket.apiBasePath };
  }
  if (urls.toopher && fixtures.toopher) {
    const { consumerKey, consumerSecret } = fixtures.toopher;
    settings.toopher = { consumerKey, consumerSecret, baseUrl: urls.toopher };
  }
  return settings;
}

/** POSTs to an emulator-only route and returns its JSON; an emulator refusal is the demo's own 502. */
async function emulatorPost<T>(url: string, body: unknown = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new AppError('ERR_EMULATOR', 502, 'The emulator refused the request.');
  }
  return (await response.json()) as T;
}

function requireUrl(emulator: Emulator, provider: keyof Emulator['urls']): string {
  const url = emulator.urls[provider];
  if (!url) throw new AppError('ERR_EMULATOR', 404, `The emulator does not serve ${provider}.`);
  return url;
}

function stringField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || value === '')
    throw new AppError('ERR_BAD_REQUEST', 400, `Send "${name}" as a string.`);
  return value;
}

function walletChainOf(body: unknown): WalletChain {
  const chain = stringField(body, 'chain');
  const known = WALLET_CHAINS.find((allowed) => allowed === chain);
  if (!known) throw new AppError('ERR_BAD_REQUEST', 400, `The development wallet has no '${chain}' account.`);
  return known;
}

/**
 * The `/dev/*` routes for the emulators `emulator` serves, with `wallet` as the user's wallet.
 * `toopherRequestOf` names the Toopher request of a challenge id: the phone answers the request, which
 * only the server knows.
 */
export function createDevRoutes(
  emulator: Emulator,
  wallet: DevWallet,
  toopherRequestOf: (challengeId: string) => string | undefined = () => undefined,
): Router {
  const fixtures = emulator.fixtures as DemoFixtures;
  const router = Router();

  // Pi Browser: Pi.authenticate() hands the page an access token for the Pioneer.
  router.post('/dev/pi/access-token', async (_req, res) => {
    const minted = await emulatorPost<{ accessToken: string }>(
      `${requireUrl(emulator, 'pi')}/_emulator/tokens`,
      {
        username: PI_USER,
      },
    );
    res.json({ accessToken: minted.accessToken });
  });

  // Magic's client SDK: loginWithEmailOTP() resolves to a DID token for the seeded user.
  router.post('/dev/magic/did-token', async (req, res) => {
    const expired = (req.body as { expired?: unknown } | undefined)?.expired === true;
    const minted = await emulatorPost<{ didToken: string }>(
      `${requireUrl(emulator, 'magic')}/_emulator/did-tokens`,
      {
        expired,
      },
    );
    res.json({ didToken: minted.didToken });
  });

  // The wallet: its address, then a signature over the exact message the server's challenge returned,
  // made here with the development wallet's key (no signing round trip to the emulator).
  router.post('/dev/picket/wallet', (_req, res) => {
    res.json({ chain: wallet.chain, walletAddress: wallet.address });
  });
  router.post('/dev/picket/sign', async (req, res) => {
    if (stringField(req.body, 'walletAddress').toLowerCase() !== wallet.address.toLowerCase())
      throw new AppError('ERR_BAD_REQUEST', 400, 'The development wallet signs only for its own address.');
    res.json({ signature: await wallet.signMessage(stringField(req.body, 'message')) });
  });

  // The self-hosted wallet login, Ethereum and Solana: the account of a chain, then a signature over the
  // exact message the challenge returned (EIP-191 personal_sign, or ed25519 over its UTF-8 bytes).
  router.post('/dev/wallet/account', (req, res) => {
    const chain = walletChainOf(req.body);
    res.json({ chain, address: chain === 'solana:mainnet' ? wallet.solana.address : wallet.address });
  });
  router.post('/dev/wallet/sign', async (req, res) => {
    const chain = walletChainOf(req.body);
    const message = stringField(req.body, 'message');
    const address = stringField(req.body, 'address');
    const own = chain === 'solana:mainnet' ? wallet.solana.address : wallet.address;
    if (address !== own)
      throw new AppError('ERR_BAD_REQUEST', 400, 'The development wallet signs only for its own address.');
    const signature =
      chain === 'solana:mainnet' ? wallet.solana.signMessage(message) : await wallet.signMessage(message);
    res.json({ signature });
  });

  // The Toopher phone app: the paired user, then their answer to an authentication request.
  router.post('/dev/toopher/user', (_req, res) => {
    const user = fixtures.toopher?.users.paired;
    if (!user) throw new AppError('ERR_EMULATOR', 404, 'The Toopher emulator has no paired test user.');
    res.json({ username: user.username });
  });
  router.post('/dev/toopher/phone', async (req, res) => {
    const request = toopherRequestOf(stringField(req.body, 'challengeId'));
    if (!request) throw new AppError('ERR_BAD_REQUEST', 400, 'No Toopher challenge has that id.');
    const requestId = encodeURIComponent(request);
    const answer = stringField(req.body, 'answer') === 'deny' ? 'deny' : 'grant';
    await emulatorPost(
      `${requireUrl(emulator, 'toopher')}/_emulator/authentication_requests/${requestId}/${answer}`,
    );
    res.json({ answered: answer });
  });
  return router;
}
