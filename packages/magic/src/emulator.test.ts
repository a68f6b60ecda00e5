import { createMemoryStore, isAuthBridgeError } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { runProviderConformance } from '@authbridge/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMagicAdmin } from './admin.js';
import { magic } from './provider.js';

interface Fixtures {
  secretKey: string;
  clientId: string;
  user: { issuer: string; publicAddress: string; email: string };
}

async function mint(baseUrl: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${baseUrl}/_emulator/did-tokens`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`mint answered ${response.status}`);
  return ((await response.json()) as { didToken: string }).didToken;
}

const fixturesOf = (emulator: Emulator) => emulator.fixtures.magic as Fixtures;

runProviderConformance('magic', {
  emulator: 'magic',
  // No clientId: the first verify looks it up over HTTP, which is what the timeout and abort checks hang.
  create: ({ emulator }, http) => magic({ secretKey: fixturesOf(emulator).secretKey, ...http }),
  secrets: ({ emulator }) => [fixturesOf(emulator).secretKey],
  validCredential: ({ baseUrl }) => mint(baseUrl),
  expectedSubject: ({ emulator }) => fixturesOf(emulator).user.issuer,
  verifyPath: '/v1/admin/client',
  failures: [
    {
      name: 'a malformed token',
      credential: () => 'not-a-did-token-at-all',
      code: 'ERR_CREDENTIAL_MALFORMED',
    },
    {
      name: 'an expired token',
      credential: ({ baseUrl }) => mint(baseUrl, { expired: true }),
      code: 'ERR_CREDENTIAL_EXPIRED',
    },
    {
      name: 'a token not valid yet',
      credential: ({ baseUrl }) => mint(baseUrl, { notYetValid: true }),
      code: 'ERR_CREDENTIAL_NOT_YET_VALID',
    },
    {
      name: 'a token for another app',
      credential: ({ baseUrl }) => mint(baseUrl, { audience: 'another-app' }),
      code: 'ERR_CREDENTIAL_AUDIENCE',
    },
    {
      name: 'a token whose claim was altered after signing',
      credential: async ({ baseUrl }) => {
        const [proof, claim] = JSON.parse(atob(await mint(baseUrl))) as [string, string];
        return btoa(JSON.stringify([proof, claim.replace('"sub":"', '"sub":"x')]));
      },
      code: 'ERR_CREDENTIAL_SIGNATURE',
    },
  ],
});

describe('against the emulator', () => {
  let emulator: Emulator;
  let baseUrl: string;
  let fixtures: Fixtures;
  beforeAll(async () => {
    emulator = await startEmulator({ providers: ['magic'] });
    baseUrl = emulator.urls.magic as string;
    fixtures = fixturesOf(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const admin = (extra: Partial<Parameters<typeof createMagicAdmin>[0]> = {}) =>
    createMagicAdmin({ secretKey: fixtures.secretKey, baseUrl, retry: false, ...extra });

  it('looks the client id up once and checks the audience with it', async () => {
    const client = admin();
    const wrong = await mint(baseUrl, { audience: 'another-app' });
    await expect(client.token.validate(wrong)).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_AUDIENCE',
      providerCode: 'ERROR_AUDIENCE_MISMATCH',
    });
    await client.token.validate(await mint(baseUrl));
    expect(emulator.requests.filter((r) => r.subPath === '/v1/admin/client')).toHaveLength(1);
  });

  it('a failed client-id lookup fails the validation instead of skipping the audience check', async () => {
    const client = createMagicAdmin({ secretKey: 'sk_test_wrong_key_0000', baseUrl, retry: false });
    const error = await client.token
      .validate(await mint(baseUrl, { audience: 'another-app' }))
      .catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_UNAUTHORIZED')).toBe(true);
    expect((error as { providerCode?: string }).providerCode).toBe('API_KEY_INVALID');
    expect(String((error as Error).message)).not.toContain('sk_test_wrong_key_0000');
  });

  it('clientId: null is the explicit opt-out of the audience check', async () => {
    const client = admin({ clientId: null });
    await expect(
      client.token.validate(await mint(baseUrl, { audience: 'another-app' })),
    ).resolves.toMatchObject({
      issuer: fixtures.user.issuer,
    });
    expect(emulator.requests.some((r) => r.subPath === '/v1/admin/client')).toBe(false);
  });

  it('checks the attachment', async () => {
    const client = admin();
    const token = await mint(baseUrl, { attachment: 'login-nonce-42' });
    await expect(client.token.validate(token, { attachment: 'login-nonce-42' })).resolves.toBeDefined();
    await expect(client.token.validate(token, { attachment: 'another' })).rejects.toMatchObject({
      providerCode: 'ERROR_INCORRECT_SIGNER_ADDR',
    });
  });

  it('reads metadata with wallets, by issuer, address and token', async () => {
    const client = admin();
    const byIssuer = await client.users.getMetadataByIssuer(fixtures.user.issuer, { walletType: 'ANY' });
    expect(byIssuer).toEqual({
      issuer: fixtures.user.issuer,
      publicAddress: fixtures.user.publicAddress,
      email: fixtures.user.email,
      oauthProvider: null,
      phoneNumber: null,
      username: null,
      wallets: [
        { walletType: 'ETH', network: 'MAINNET', publicAddress: fixtures.user.publicAddress },
        { walletType: 'SOLANA', network: 'MAINNET', publicAddress: expect.any(String) },
      ],
    });
    const solana = await client.users.getMetadataByPublicAddress(fixtures.user.publicAddress, {
      walletType: 'SOLANA',
    });
    expect(solana.wallets?.map((w) => w.walletType)).toEqual(['SOLANA']);
    const byToken = await client.users.getMetadataByToken(await mint(baseUrl));
    expect(byToken.wallets).toBeNull();
    expect(byToken.email).toBe(fixtures.user.email);
  });

  it('an unknown user is a 404 error, never all-null metadata', async () => {
    await expect(
      admin().users.getMetadataByIssuer('did:ethr:0x0000000000000000000000000000000000000001'),
    ).rejects.toMatchObject({
      code: 'ERR_PROVIDER_NOT_FOUND',
      providerCode: 'USER_NOT_FOUND',
    });
  });

  it('logout takes effect at the emulator', async () => {
    await mint(baseUrl);
    const session = async () =>
      (await (await fetch(`${baseUrl}/_emulator/users/${fixtures.user.issuer}/session`)).json()) as {
        loggedIn: boolean;
      };
    expect((await session()).loggedIn).toBe(true);
    const provider = magic({ secretKey: fixtures.secretKey, baseUrl });
    await provider.logout(fixtures.user.issuer);
    expect((await session()).loggedIn).toBe(false);
    const logout = emulator.requests.find((r) => r.subPath === '/v1/admin/user/logout');
    expect(logout?.method).toBe('POST');
    expect(JSON.parse(logout?.body ?? '')).toEqual({ issuer: fixtures.user.issuer });
  });

  it('verify returns the email on request', async () => {
    const provider = magic({ secretKey: fixtures.secretKey, baseUrl, fetchMetadata: true });
    const result = await provider.verify(await mint(baseUrl));
    expect(result).toMatchObject({
      provider: 'magic',
      subject: fixtures.user.issuer,
      email: fixtures.user.email,
      wallet: { chain: 'ethereum', address: fixtures.user.publicAddress },
    });
  });

  it('replay store: a token is accepted once; of concurrent validations exactly one succeeds', async () => {
    const client = admin({ replayStore: createMemoryStore() });
    const token = await mint(baseUrl);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.token.validate(token)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(isAuthBridgeError(r.reason, 'ERR_CREDENTIAL_REPLAYED')).toBe(true);
    }
    // A second spelling of the same token (padding removed) is the same claim: still refused.
    const unpadded = token.replace(/=+$/, '');
    expect(unpadded).not.toBe(token);
    await expect(client.token.validate(unpadded)).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
    // Another token of the same user is a new login.
    await expect(client.token.validate(await mint(baseUrl))).resolves.toBeDefined();
  });

  it("an unknown admin path answers 404 in Magic's error shape, after the secret-key check", async () => {
    const headers = { 'x-magic-secret-key': fixtures.secretKey };
    for (const [method, path] of [
      ['GET', '/v1/admin/nope'],
      ['GET', '/v1/admin/user/logout'],
      ['POST', '/v2/admin/unknown'],
    ] as const) {
      const response = await fetch(`${baseUrl}${path}`, { method, headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        data: {},
        error_code: 'NOT_FOUND',
        message: `No Magic admin route for ${method} /magic${path}.`,
        status: 'failed',
      });
    }
    const anonymous = await fetch(`${baseUrl}/v1/admin/nope`);
    expect(anonymous.status).toBe(401);
    await expect(
      admin().http.request({ method: 'GET', path: 'v1/admin/nope', responseType: 'none' }),
    ).rejects.toMatchObject({ code: 'ERR_PROVIDER_NOT_FOUND', status: 404, providerCode: 'NOT_FOUND' });
  });

  it('retries a GET on 503 with Retry-After, never a logout POST', async () => {
    const client = createMagicAdmin({ secretKey: fixtures.secretKey, baseUrl, retries: 2, backoffFactor: 0 });
    emulator.injectFault({
      provider: 'magic',
      path: '/v1/admin/user',
      times: 1,
      fault: { status: 503, retryAfter: 0 },
    });
    await expect(client.users.getMetadataByIssuer(fixtures.user.issuer)).resolves.toMatchObject({
      issuer: fixtures.user.issuer,
    });
    expect(emulator.requests.filter((r) => r.subPath === '/v1/admin/user')).toHaveLength(2);
    emulator.injectFault({
      provider: 'magic',
      path: '/v1/admin/user/logout',
      fault: { status: 503, retryAfter: 0 },
    });
    await expect(client.users.logoutByIssuer(fixtures.user.issuer)).rejects.toMatchObject({
      code: 'ERR_PROVIDER_SERVER',
    });
    expect(emulator.requests.filter((r) => r.subPath === '/v1/admin/user/logout')).toHaveLength(1);
  });

  it('dropped connections and non-JSON bodies are typed errors', async () => {
    const client = admin();
    emulator.injectFault({ provider: 'magic', path: '/v1/admin/user', times: 1, fault: { drop: true } });
    await expect(client.users.getMetadataByIssuer(fixtures.user.issuer)).rejects.toMatchObject({
      code: 'ERR_NETWORK',
    });
    emulator.injectFault({ provider: 'magic', path: '/v1/admin/user', times: 1, fault: { nonJson: true } });
    await expect(client.users.getMetadataByIssuer(fixtures.user.issuer)).rejects.toMatchObject({
      code: 'ERR_UNEXPECTED_RESPONSE',
    });
  });
});

describe('emulator wire tolerance (spec §2.7)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ providers: ['magic'] });
  });
  afterAll(() => emulator.close());

  it('accepts raw and encoded colons and the Python WalletType.NONE spelling; rejects a bad key', async () => {
    const { secretKey, user } = fixturesOf(emulator);
    const base = `${emulator.urls.magic}/v1/admin/user`;
    const headers = { 'X-Magic-Secret-Key': secretKey };
    const raw = await fetch(`${base}?issuer=${user.issuer}&wallet_type=NONE`, { headers });
    const encoded = await fetch(
      `${base}?issuer=${encodeURIComponent(user.issuer)}&wallet_type=WalletType.NONE`,
      { headers },
    );
    expect(await raw.json()).toEqual(await encoded.json());
    const denied = await fetch(`${base}?issuer=${user.issuer}`, {
      headers: { 'X-Magic-Secret-Key': 'sk_wrong' },
    });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ status: 'failed', error_code: 'API_KEY_INVALID' });
  });

  it('serves the legacy routes in the legacy envelope', async () => {
    const { secretKey, user } = fixturesOf(emulator);
    const response = await fetch(`${emulator.urls.magic}/v1/admin/auth/user/get?issuer=${user.issuer}`, {
      headers: { 'X-Magic-Secret-Key': secretKey },
    });
    expect(await response.json()).toMatchObject({
      status: 'ok',
      error_code: '',
      data: { issuer: user.issuer },
    });
  });

  it('mints tokens on the emulator clock', async () => {
    emulator.clock.set(Date.UTC(2030, 0, 1));
    const token = await mint(emulator.urls.magic as string, { lifespan: 60 });
    const claim = JSON.parse((JSON.parse(atob(token)) as string[])[1] as string) as {
      iat: number;
      ext: number;
    };
    expect(claim.iat - Date.UTC(2030, 0, 1) / 1000).toBeGreaterThanOrEqual(0);
    expect(claim.iat - Date.UTC(2030, 0, 1) / 1000).toBeLessThan(5);
    expect(claim.ext - claim.iat).toBe(60);
    emulator.clock.reset();
  });
});
