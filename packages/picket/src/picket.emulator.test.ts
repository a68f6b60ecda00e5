import { isAuthBridgeError } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { rejectionOf as errorOf } from '@authbridge/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EVM_ADDRESS,
  EVM_EMPTY_ADDRESS,
  EVM_EMPTY_KEY,
  SOLANA_ADDRESS,
  signEvm,
  signSolana,
} from '../test/wallets.js';
import { type AuthRequirements, createSigningMessage, picket } from './index.js';

const SIMPLE_KEY = 'sk_test_emulator_simple';
const SIWE_KEY = 'sk_test_emulator_siwe';
const NFT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const MINT = 'EmuMint1111111111111111111111111111111111111';

let emulator: Emulator;
let baseUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['picket'] });
  baseUrl = `${emulator.urls.picket}/api/v1`;
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const client = (apiKey = SIMPLE_KEY) => picket({ apiKey, baseUrl, retry: false });

/** A fresh challenge for an Ethereum wallet and the credential its key signs over the message. */
async function evmLogin(
  provider: ReturnType<typeof client>,
  walletAddress: string,
  privateKey?: string,
  requirements?: AuthRequirements,
) {
  const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress, requirements });
  const signature = signEvm(challenge.message as string, privateKey);
  return { challenge, credential: { challengeId: challenge.id, signature } };
}

describe('picket against the emulator: simple format', () => {
  it('signs in an EVM wallet with a token requirement and validates the token', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({
      chain: 'ethereum',
      walletAddress: EVM_ADDRESS,
      requirements: { contractAddress: NFT, minTokenBalance: 2 },
    });
    expect(challenge.message).toBe(
      `Sign in with your wallet\n\nAddress: ${EVM_ADDRESS}\nNonce: ${challenge.data.nonce}`,
    );
    expect(challenge.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const result = await provider.verify({
      challengeId: challenge.id,
      signature: signEvm(challenge.message as string),
    });
    expect(result.subject).toBe(`ethereum:${EVM_ADDRESS}`);
    expect(result.wallet).toEqual({ chain: 'ethereum', address: EVM_ADDRESS });
    expect(result.claims.displayAddress).toBe('emulator-holder.eth');
    expect(result.claims.tokenBalances).toEqual({ contractAddress: { [NFT]: '3' } });
    expect(result.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(JSON.stringify(result)).not.toContain(result.claims.accessToken);

    const again = await provider.verifyAccessToken(result.claims.accessToken);
    expect(again.subject).toBe(result.subject);
    expect(again.claims.aud).toBe('53e74bdf-6e6e-4f31-b0d1-ceda189a6a25');
  });

  it('signs in a Solana wallet', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({
      chain: 'solana',
      walletAddress: SOLANA_ADDRESS,
      requirements: { tokenIds: [MINT], minTokenBalance: '2' },
    });
    const result = await provider.verify({
      challengeId: challenge.id,
      signature: signSolana(challenge.message as string),
    });
    expect(result.subject).toBe(`solana:${SOLANA_ADDRESS}`);
    expect(result.claims.tokenIds).toEqual([MINT]);
  });

  it('rejects a wrong signature with ERR_CREDENTIAL_SIGNATURE; the challenge is spent, Picket keeps the nonce', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    const error = await errorOf(
      provider.verify({
        challengeId: challenge.id,
        signature: signEvm(challenge.message as string, EVM_EMPTY_KEY),
      }),
    );
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    expect((error as { status: number }).status).toBe(401);
    const spent = await errorOf(
      provider.verify({ challengeId: challenge.id, signature: signEvm(challenge.message as string) }),
    );
    expect(isAuthBridgeError(spent, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    const retry = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    expect(retry.id).not.toBe(challenge.id);
    expect(retry.data.nonce).toBe(challenge.data.nonce);
    await expect(
      provider.verify({ challengeId: retry.id, signature: signEvm(retry.message as string) }),
    ).resolves.toMatchObject({ subject: `ethereum:${EVM_ADDRESS}` });
  });

  it('a challenge used once cannot be used again, and Picket consumed the nonce', async () => {
    const provider = client();
    const { challenge, credential } = await evmLogin(provider, EVM_ADDRESS);
    await provider.verify(credential);
    const error = await errorOf(provider.verify(credential));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    const next = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    expect(next.data.nonce).not.toBe(challenge.data.nonce);
  });

  it('of concurrent logins with one challenge exactly one reaches Picket and succeeds', async () => {
    const provider = client();
    const { credential } = await evmLogin(provider, EVM_ADDRESS);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => provider.verify(credential)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(isAuthBridgeError(o.reason, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
    }
    expect(emulator.requests.filter((r) => r.subPath === '/api/v1/auth')).toHaveLength(1);
  });

  it("Picket's nonce expires after two minutes, whatever the challenge store says", async () => {
    const provider = picket({ apiKey: SIMPLE_KEY, baseUrl, retry: false, challengeTtlMs: 600_000 });
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    emulator.clock.advance(121_000);
    const error = await errorOf(
      provider.verify({ challengeId: challenge.id, signature: signEvm(challenge.message as string) }),
    );
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
  });

  it('fails token gating with ERR_CREDENTIAL_REJECTED, but the allow-list is ORed in', async () => {
    const provider = client();
    const gated = await evmLogin(provider, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY, { contractAddress: NFT });
    const error = await errorOf(provider.verify(gated.credential));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect((error as { providerCode: string }).providerCode).toBe('permission_denied');
    const listed = await evmLogin(provider, EVM_EMPTY_ADDRESS, EVM_EMPTY_KEY, {
      contractAddress: NFT,
      allowedWallets: [EVM_EMPTY_ADDRESS.toLowerCase()],
    });
    const result = await provider.verify(listed.credential);
    expect(result.subject).toBe(`ethereum:${EVM_EMPTY_ADDRESS}`);
  });
});

describe('requirements with nothing to count (spec §5 OR rule)', () => {
  it('an allow-list alone admits listed wallets only', async () => {
    const provider = client();
    const listed = await evmLogin(provider, EVM_ADDRESS, undefined, { allowedWallets: [EVM_ADDRESS] });
    await expect(provider.verify(listed.credential)).resolves.toMatchObject({
      subject: `ethereum:${EVM_ADDRESS}`,
    });
    const other = await evmLogin(provider, EVM_ADDRESS, undefined, { allowedWallets: [EVM_EMPTY_ADDRESS] });
    const error = await errorOf(provider.verify(other.credential));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect((error as Error).message).toContain('allowed wallet addresses');
  });

  it('a minimum alone refuses even a holder: the sum of no balances is 0', async () => {
    const provider = client();
    const minimum = await evmLogin(provider, EVM_ADDRESS, undefined, { minTokenBalance: 1 });
    const error = await errorOf(provider.verify(minimum.credential));
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    expect((error as Error).message).toContain('necessary tokens');
    const held = await evmLogin(provider, EVM_ADDRESS, undefined, {
      contractAddress: NFT,
      minTokenBalance: 1,
    });
    const result = await provider.verify(held.credential);
    const forbidden = await errorOf(
      provider.validate(result.claims.accessToken, { allowedWallets: [EVM_EMPTY_ADDRESS] }),
    );
    expect(isAuthBridgeError(forbidden, 'ERR_PROVIDER_FORBIDDEN')).toBe(true);
    await expect(
      provider.validate(result.claims.accessToken, { allowedWallets: [EVM_ADDRESS.toLowerCase()] }),
    ).resolves.toMatchObject({ walletAddress: EVM_ADDRESS });
  });
});

/** The message evil.example shows the victim: this app's nonce, worded for evil.example's page. */
function relayedMessage(message: string): string {
  return message
    .replace('localhost:3000 wants you', 'evil.example wants you')
    .replace('URI: http://localhost:3000', 'URI: https://evil.example');
}

describe('picket against the emulator: SIWE projects', () => {
  const siwe = { domain: 'localhost:3000', uri: 'http://localhost:3000' };

  it("a signature made for another site with this app's nonce cannot log in here (cross-site relay)", async () => {
    const provider = client(SIWE_KEY);
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS, siwe });
    const message = challenge.message as string;
    const evil = relayedMessage(message);
    expect(evil).not.toBe(message);
    const signature = signEvm(evil);
    const evilContext = {
      ...challenge.data.context,
      domain: 'evil.example',
      uri: 'https://evil.example',
    };
    // Everything a relaying client can send: the challenge id, the signature, and the context of
    // the message it had signed.
    const relayed = {
      challengeId: challenge.id,
      signature,
      chain: 'ethereum',
      walletAddress: EVM_ADDRESS,
      context: evilContext,
    } as never;
    const error = await errorOf(provider.verify(relayed));
    expect(isAuthBridgeError(error)).toBe(true);
    // With only what the client may send, the server's own context decides, and the signature fails.
    const again = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS, siwe });
    const bound = { challengeId: again.id, signature: signEvm(relayedMessage(again.message as string)) };
    expect((await errorOf(provider.verify(bound))).code).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('signs in an EVM wallet with a SIWE message; the chain id comes from GET /chains', async () => {
    const provider = client(SIWE_KEY);
    const challenge = await provider.createChallenge({ chain: 'polygon', walletAddress: EVM_ADDRESS, siwe });
    expect(challenge.data.format).toBe('siwe');
    expect(challenge.message).toContain('\nChain ID: 137\n');
    expect(
      challenge.message?.startsWith('localhost:3000 wants you to sign in with your Ethereum account:\n'),
    ).toBe(true);
    const result = await provider.verify({
      challengeId: challenge.id,
      signature: signEvm(challenge.message as string),
    });
    expect(result.subject).toBe(`polygon:${EVM_ADDRESS}`);
    expect(result.claims.aud).toBe('8a1c0c3e-5f0b-4a5e-9d5c-2f0c6b7e9a11');
  });

  it('signs in a Solana wallet with the Solana wording and a localised statement', async () => {
    const provider = client(SIWE_KEY);
    const challenge = await provider.createChallenge({
      chain: 'solana',
      walletAddress: SOLANA_ADDRESS,
      locale: 'fr-FR',
      siwe,
    });
    expect(challenge.message).toContain('sign in with your Solana account:');
    expect(challenge.message).toContain('\n\nConnectez-vous avec votre portefeuille\n\n');
    const result = await provider.verify({
      challengeId: challenge.id,
      signature: signSolana(challenge.message as string),
    });
    expect(result.subject).toBe(`solana:${SOLANA_ADDRESS}`);
  });

  it("Picket (raw auth) refuses a SIWE context whose chain id is not the chain's is refused, even with a valid signature over it", async () => {
    const provider = client(SIWE_KEY);
    const challenge = await provider.createChallenge({ chain: 'polygon', walletAddress: EVM_ADDRESS, siwe });
    const context = challenge.data.context as NonNullable<typeof challenge.data.context>;
    // The wallet signed a message naming Ethereum mainnet; the login asks for Polygon.
    const mainnetContext = { ...context, chainId: 1 };
    const message = createSigningMessage({
      format: 'siwe',
      nonce: challenge.data.nonce,
      statement: challenge.data.statement,
      walletAddress: EVM_ADDRESS,
      ...mainnetContext,
    });
    expect(message).toContain('\nChain ID: 1\n');
    const error = await errorOf(
      provider.auth({
        chain: 'polygon',
        walletAddress: EVM_ADDRESS,
        signature: signEvm(message),
        context: mainnetContext,
      }),
    );
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_BAD_REQUEST')).toBe(true);
    expect(error).toMatchObject({ status: 400, providerCode: 'parameter_invalid' });
    expect((error as Error).message).toContain('context.chainId 1 is not the id of chain polygon (137)');
    // The nonce survives the refusal: the challenge, with the server's context, still logs in.
    await expect(
      provider.verify({ challengeId: challenge.id, signature: signEvm(challenge.message as string) }),
    ).resolves.toMatchObject({ subject: `polygon:${EVM_ADDRESS}` });
  });

  it('the emulator refuses a context chainType that is not the chain type (picket-go string chainId accepted)', async () => {
    const provider = client(SIWE_KEY);
    const challenge = await provider.createChallenge({ chain: 'polygon', walletAddress: EVM_ADDRESS, siwe });
    const context = challenge.data.context as NonNullable<typeof challenge.data.context>;
    const post = (body: unknown) =>
      fetch(`${baseUrl}/auth`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${SIWE_KEY}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const credential = {
      chain: 'polygon',
      walletAddress: EVM_ADDRESS,
      signature: signEvm(challenge.message as string),
    };
    const wrongType = await post({ ...credential, context: { ...context, chainType: 'solana' } });
    expect([wrongType.status, await wrongType.json()]).toEqual([
      400,
      { msg: expect.stringContaining('context.chainType solana'), code: 'parameter_invalid' },
    ]);
    const goStyle = await post({ ...credential, context: { ...context, chainId: '137', chainType: '' } });
    expect(goStyle.status).toBe(200);
  });

  it("Picket checks the context it is sent: raw auth without it, or with a changed domain, fails; verify sends the server's", async () => {
    const provider = client(SIWE_KEY);
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS, siwe });
    const signature = signEvm(challenge.message as string);
    const raw = { chain: 'ethereum', walletAddress: EVM_ADDRESS, signature };
    const missing = await errorOf(provider.auth(raw));
    expect(isAuthBridgeError(missing, 'ERR_PROVIDER_BAD_REQUEST')).toBe(true);
    const context = {
      ...(challenge.data.context as NonNullable<typeof challenge.data.context>),
      domain: 'evil.example',
    };
    expect((await errorOf(provider.auth({ ...raw, context }))).status).toBe(401);
    await expect(provider.verify({ challengeId: challenge.id, signature })).resolves.toMatchObject({
      subject: `ethereum:${EVM_ADDRESS}`,
    });
  });
});

describe('the emulator API beyond sign-in', () => {
  async function signedIn(requirements?: AuthRequirements) {
    const provider = client();
    const { credential } = await evmLogin(provider, EVM_ADDRESS, undefined, requirements);
    const result = await provider.verify(credential);
    return { provider, token: result.claims.accessToken };
  }

  it('accepts all four Basic spellings of spec §1 and refuses others', async () => {
    const url = `${baseUrl}/chains`;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const header of [
      `Basic ${b64(`${SIMPLE_KEY}:`)}`,
      `Basic ${b64(SIMPLE_KEY)}`,
      `Basic  ${b64(SIMPLE_KEY)}`,
      `basic ${b64(`${SIMPLE_KEY}:`)}`,
    ]) {
      const res = await fetch(url, { headers: { authorization: header } });
      expect(res.status, header).toBe(200);
    }
    const none = await fetch(url);
    expect([none.status, await none.json()]).toEqual([
      401,
      { msg: expect.any(String), code: 'authentication_required' },
    ]);
    const wrong = await fetch(url, { headers: { authorization: `Basic ${b64('sk_wrong:')}` } });
    expect([wrong.status, await wrong.json()]).toEqual([
      401,
      { msg: 'Invalid project key', code: 'api_key_invalid' },
    ]);
    const error = await errorOf(picket({ apiKey: 'sk_wrong', baseUrl, retry: false }).chains());
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_UNAUTHORIZED')).toBe(true);
    expect((error as { providerCode: string }).providerCode).toBe('api_key_invalid');
  });

  it('accepts picket-go bodies: wallet_address, token_ids, a string chainId, empty context', async () => {
    const provider = client();
    const nonceRes = await fetch(`${baseUrl}/auth/nonce`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${SIMPLE_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ chain: 'ethereum', wallet_address: EVM_ADDRESS, locale: '' }),
    });
    const { nonce, statement } = (await nonceRes.json()) as { nonce: string; statement: string };
    expect(nonce).toMatch(/^[A-Za-z0-9]{16}$/);
    const signature = signEvm(`${statement}\n\nAddress: ${EVM_ADDRESS}\nNonce: ${nonce}`);
    const res = await fetch(`${baseUrl}/auth`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(SIMPLE_KEY).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        chain: 'ethereum',
        wallet_address: EVM_ADDRESS,
        signature,
        requirements: { contractAddress: '', token_ids: [] },
        context: { domain: '', uri: '', chainId: '', issuedAt: '', chainType: '' },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; user: { tokenBalances: unknown } };
    expect(body.user.tokenBalances).toEqual({});
    // The login counted: its token validates, and it consumed the nonce.
    expect((await provider.verifyAccessToken(body.accessToken)).subject).toBe(`ethereum:${EVM_ADDRESS}`);
    const next = await provider.createChallenge({ chain: 'ethereum', walletAddress: EVM_ADDRESS });
    expect(next.id).not.toBe(nonce);
  });

  it('authz issues a new token with merged balances; validate checks requirements against the token', async () => {
    const { provider, token } = await signedIn({ contractAddress: NFT });
    const erc20 = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
    const authz = await provider.authz({
      accessToken: token,
      requirements: { contractAddress: erc20, minTokenBalance: '0.1' },
    });
    expect(authz.accessToken).not.toBe(token);
    expect(authz.user.tokenBalances).toEqual({ contractAddress: { [NFT]: '3', [erc20]: '0.1337' } });
    const claims = await provider.validate(authz.accessToken, {
      contractAddress: erc20,
      minTokenBalance: '0.1337',
    });
    expect(claims.sub).toBe(`ethereum:${EVM_ADDRESS}`);
    expect(claims.iss).toBe('picketapi.com');
    const tooMuch = await errorOf(
      provider.validate(authz.accessToken, { contractAddress: erc20, minTokenBalance: '0.2' }),
    );
    expect(isAuthBridgeError(tooMuch, 'ERR_PROVIDER_FORBIDDEN')).toBe(true);
    const gated = await errorOf(
      provider.verifyAccessToken(authz.accessToken, {
        requirements: { contractAddress: erc20, minTokenBalance: 1 },
      }),
    );
    expect(isAuthBridgeError(gated, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    const notHeld = await errorOf(provider.authz({ accessToken: token, requirements: { tokenIds: [MINT] } }));
    expect(isAuthBridgeError(notHeld, 'ERR_PROVIDER_FORBIDDEN')).toBe(true);
  });

  it('verifyAccessToken: expiry on the emulator clock, a token of another project, a forged token', async () => {
    const { provider, token } = await signedIn();
    expect((await provider.verifyAccessToken(token)).subject).toBe(`ethereum:${EVM_ADDRESS}`);
    const otherProject = await errorOf(client(SIWE_KEY).verifyAccessToken(token));
    expect(isAuthBridgeError(otherProject, 'ERR_CREDENTIAL_REJECTED')).toBe(true);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('x'.repeat(64)).toString('base64url')}`;
    expect(
      isAuthBridgeError(await errorOf(provider.verifyAccessToken(forged)), 'ERR_CREDENTIAL_REJECTED'),
    ).toBe(true);
    emulator.clock.advance(13 * 3600_000);
    // The local clock still says the token is live: Picket's (the emulator's) answer decides.
    expect(
      isAuthBridgeError(await errorOf(provider.verifyAccessToken(token)), 'ERR_CREDENTIAL_EXPIRED'),
    ).toBe(true);
  });

  it('tokenOwnership: flat and nested requirements, the OR-free check, EVM and Solana messages', async () => {
    const provider = client();
    const held = await provider.tokenOwnership({
      chain: 'ethereum',
      walletAddress: EVM_ADDRESS,
      requirements: { contractAddress: NFT, minTokenBalance: 3 },
    });
    expect(held).toMatchObject({
      allowed: true,
      walletAddress: EVM_ADDRESS,
      tokenBalance: '3',
      tokenBalances: { contractAddress: { [NFT]: '3' } },
    });
    const solana = await provider.tokenOwnership({
      chain: 'solana',
      walletAddress: SOLANA_ADDRESS,
      requirements: {
        tokenIds: [MINT],
        collection: 'EmuCo11ection11111111111111111111111111111111',
        minTokenBalance: '3',
      },
    });
    expect(solana).toMatchObject({ allowed: true, tokenBalance: '3' });
    const nested = await fetch(`${baseUrl}/chains/solana/wallets/${SOLANA_ADDRESS}/tokenOwnership`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${SIMPLE_KEY}:`).toString('base64')}` },
      body: JSON.stringify({ requirements: { token_ids: [MINT], minTokenBalance: '5' } }),
    });
    expect(await nested.json()).toMatchObject({ allowed: false, tokenBalance: '2' });
    const missing = await errorOf(
      provider.tokenOwnership({ chain: 'solana', walletAddress: SOLANA_ADDRESS, requirements: {} }),
    );
    expect((missing as Error).message).toContain('tokenIds parameter is required for solana');
  });

  it('chains and chain', async () => {
    const provider = client();
    const chains = await provider.chains();
    expect(chains.map((c) => c.chainSlug)).toEqual([
      'ethereum',
      'polygon',
      'optimism',
      'arbitrum',
      'avalanche',
      'solana',
      'flow',
    ]);
    expect(await provider.chain('arbitrum')).toMatchObject({ chainId: 42161, chainType: 'ethereum' });
    expect(isAuthBridgeError(await errorOf(provider.chain('homestead')), 'ERR_PROVIDER_NOT_FOUND')).toBe(
      true,
    );
  });

  it('Flow logins are refused with a clear 400 (Flow keys live on chain)', async () => {
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'flow', walletAddress: '0x01cf0e2f2f715450' });
    const error = await errorOf(provider.verify({ challengeId: challenge.id, signature: 'abcd' }));
    expect(challenge.data.nonce).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_BAD_REQUEST')).toBe(true);
  });

  it('survives injected faults as typed errors: each attempt spends its challenge, Picket keeps the nonce', async () => {
    const provider = client();
    const first = await evmLogin(provider, EVM_ADDRESS);
    /** A new challenge for the wallet: Picket hands out the same nonce, so the message is the same. */
    const retry = async () => {
      const next = await evmLogin(provider, EVM_ADDRESS);
      expect(next.challenge.message).toBe(first.challenge.message);
      return next.credential;
    };
    emulator.injectFault({ provider: 'picket', path: '/api/v1/auth', times: 1, fault: { drop: true } });
    expect(isAuthBridgeError(await errorOf(provider.verify(first.credential)), 'ERR_NETWORK')).toBe(true);
    expect(
      isAuthBridgeError(await errorOf(provider.verify(first.credential)), 'ERR_CREDENTIAL_CHALLENGE'),
    ).toBe(true);
    emulator.injectFault({
      provider: 'picket',
      path: '/api/v1/auth',
      times: 1,
      fault: { nonJson: true, status: 502 },
    });
    expect(isAuthBridgeError(await errorOf(provider.verify(await retry())), 'ERR_PROVIDER_SERVER')).toBe(
      true,
    );
    emulator.injectFault({ provider: 'picket', path: '/api/v1/auth', times: 1, fault: { nonJson: true } });
    expect(isAuthBridgeError(await errorOf(provider.verify(await retry())), 'ERR_UNEXPECTED_RESPONSE')).toBe(
      true,
    );
    expect(emulator.requests.filter((r) => r.subPath === '/api/v1/auth')).toHaveLength(3);
    await expect(provider.verify(await retry())).resolves.toMatchObject({
      subject: `ethereum:${EVM_ADDRESS}`,
    });
  });
});

describe('emulator-only helpers', () => {
  it('signs for a seeded wallet, and its JWKS verifies the access tokens', async () => {
    const { createPublicKey, verify } = await import('node:crypto');
    const provider = client();
    const challenge = await provider.createChallenge({ chain: 'solana', walletAddress: SOLANA_ADDRESS });
    const signed = await fetch(`${emulator.urls.picket}/_emulator/sign`, {
      method: 'POST',
      body: JSON.stringify({ walletAddress: SOLANA_ADDRESS, message: challenge.message }),
    });
    const { signature } = (await signed.json()) as { signature: string };
    expect(signature).toBe(signSolana(challenge.message as string));
    const result = await provider.verify({ challengeId: challenge.id, signature });
    const { keys } = (await (await fetch(`${emulator.urls.picket}/_emulator/jwks`)).json()) as {
      keys: import('node:crypto').JsonWebKey[];
    };
    const [header, body, sig] = result.claims.accessToken.split('.') as [string, string, string];
    const key = createPublicKey({ key: keys[0] as import('node:crypto').JsonWebKey, format: 'jwk' });
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${body}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(sig, 'base64url'),
    );
    expect(valid).toBe(true);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      typ: 'JWT',
    });
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    expect(payload.iss).toBe('picketapi.com');
    expect(payload).toMatchObject({
      sub: `solana:${SOLANA_ADDRESS}`,
      ver: 1,
      aud: '53e74bdf-6e6e-4f31-b0d1-ceda189a6a25',
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(43_200);
  });
});
