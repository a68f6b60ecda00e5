import { createMemoryStore, isAuthBridgeError } from '@authbridge/core';
import { base58 } from '@scure/base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeOf } from '../test/code-of.js';
import { type EvmKey, evmKey, personalSign, solanaKey, solanaSign } from '../test/keys.js';
import {
  createSignInMessageText,
  createSiweMessage,
  isAcceptableEd25519Key,
  type SiweChallengeFields,
  SOLANA_CHAINS,
  type SolanaSignInInput,
  verifyEd25519,
  type WalletProvider,
  wallet,
} from './index.js';

/** `verify` of a message `personal_sign`ed by `key`; resolves to the error code or undefined. */
function verifyAs(provider: WalletProvider, challengeId: string, message: string, key: EvmKey) {
  return codeOf(provider.verify({ challengeId, message, signature: personalSign(message, key.privateKey) }));
}

const options = { domain: 'app.example', chains: ['eip155:1', 'eip155:8453', 'solana:mainnet'] };

/** The message a browser builds from a challenge's fields for its own address (one-click login). */
function siweFor(fields: SiweChallengeFields, address: string, change: Partial<SiweChallengeFields> = {}) {
  return createSiweMessage({ ...fields, address, ...change });
}

describe('wallet() Ethereum logins', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('one-click: an address-less challenge, the browser adds its address, subject is CAIP-10', async () => {
    const provider = wallet(options);
    const key = evmKey();
    const challenge = await provider.createChallenge({ chain: 'eip155:8453' });
    expect(challenge.message).toBeUndefined();
    if (challenge.data.family !== 'ethereum') throw new Error('expected an Ethereum challenge');
    const { fields } = challenge.data;
    expect(fields).toMatchObject({
      domain: 'app.example',
      uri: 'https://app.example',
      chainId: 8453,
      version: '1',
    });
    expect(fields.nonce).toMatch(/^[0-9a-f]{32}$/);
    const message = siweFor(fields, key.address);
    const result = await provider.verify({
      challengeId: challenge.id,
      message,
      signature: personalSign(message, key.privateKey),
    });
    expect(result.subject).toBe(`eip155:8453:${key.address}`);
    expect(result.wallet).toEqual({ chain: 'ethereum', address: key.address });
    expect(result.claims).toMatchObject({
      chain: 'eip155:8453',
      signatureType: 'eip191',
      accountId: result.subject,
    });
    expect(result.expiresAt?.toISOString()).toBe(fields.expirationTime);
  });

  it('an address-bound challenge gives the exact message, which verifies', async () => {
    const provider = wallet(options);
    const key = evmKey();
    const challenge = await provider.createChallenge({ address: key.address.toLowerCase() });
    const message = challenge.message as string;
    expect(message.split('\n')[1]).toBe(key.address);
    const result = await provider.verify({
      challengeId: challenge.id,
      message,
      signature: personalSign(message, key.privateKey),
    });
    expect(result.subject).toBe(`eip155:1:${key.address}`);
  });

  it('each binding failure has its code, and the challenge is spent by the failed attempt', async () => {
    const provider = wallet({ ...options, statement: 'Sign in to App' });
    const key = evmKey();
    const cases: [Partial<SiweChallengeFields>, string][] = [
      [{ domain: 'evil.example' }, 'ERR_CREDENTIAL_DOMAIN'],
      [{ scheme: 'http' }, 'ERR_CREDENTIAL_DOMAIN'],
      [{ uri: 'https://evil.example/login' }, 'ERR_CREDENTIAL_DOMAIN'],
      [{ chainId: 10 }, 'ERR_CREDENTIAL_CHAIN'],
      [{ chainId: 8453 }, 'ERR_CREDENTIAL_CHAIN'],
      [{ nonce: 'abcdefgh12345678' }, 'ERR_CREDENTIAL_NONCE'],
      [{ statement: 'Send all my tokens' }, 'ERR_CREDENTIAL_REJECTED'],
      [{ issuedAt: new Date(Date.now() + 120_000).toISOString() }, 'ERR_CREDENTIAL_ISSUED_AT'],
      [{ issuedAt: new Date(Date.now() - 3_600_000).toISOString() }, 'ERR_CREDENTIAL_ISSUED_AT'],
      [{ expirationTime: new Date(Date.now() - 60_000).toISOString() }, 'ERR_CREDENTIAL_EXPIRED'],
      [{ notBefore: new Date(Date.now() + 120_000).toISOString() }, 'ERR_CREDENTIAL_NOT_YET_VALID'],
    ];
    for (const [change, code] of cases) {
      const challenge = await provider.createChallenge({});
      if (challenge.data.family !== 'ethereum') throw new Error('expected an Ethereum challenge');
      const message = siweFor(challenge.data.fields, key.address, change);
      const signature = personalSign(message, key.privateKey);
      expect(
        await codeOf(provider.verify({ challengeId: challenge.id, message, signature })),
        JSON.stringify(change),
      ).toBe(code);
      // Spent: a second attempt with the honest message is refused.
      const honest = siweFor(challenge.data.fields, key.address);
      expect(await verifyAs(provider, challenge.id, honest, key)).toBe('ERR_CREDENTIAL_CHALLENGE');
    }
  });

  it('a challenge bound to one address refuses another wallet: ERR_CREDENTIAL_AUDIENCE', async () => {
    const provider = wallet(options);
    const [bound, other] = [evmKey(), evmKey()];
    const challenge = await provider.createChallenge({ address: bound.address });
    if (challenge.data.family !== 'ethereum') throw new Error('expected an Ethereum challenge');
    const message = siweFor(challenge.data.fields, other.address);
    expect(await verifyAs(provider, challenge.id, message, other)).toBe('ERR_CREDENTIAL_AUDIENCE');
  });

  it("another wallet's signature, a malformed message and a malformed challenge id", async () => {
    const provider = wallet(options);
    const [key, other] = [evmKey(), evmKey()];
    const challenge = await provider.createChallenge({ address: key.address });
    const message = challenge.message as string;
    expect(await verifyAs(provider, challenge.id, message, other)).toBe('ERR_CREDENTIAL_SIGNATURE');
    const again = await provider.createChallenge({});
    expect(
      await codeOf(provider.verify({ challengeId: again.id, message: `${message}\n`, signature: '0x00' })),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
    expect(await codeOf(provider.verify({ challengeId: 'nope', message, signature: '0x00' }))).toBe(
      'ERR_CREDENTIAL_MALFORMED',
    );
    expect(await codeOf(provider.verify(null as never))).toBe('ERR_CREDENTIAL_MALFORMED');
  });

  it('the clock skew is 30 s by default and configurable', async () => {
    const key = evmKey();
    for (const [clockSkewMs, aheadMs, code] of [
      [undefined, 20_000, undefined],
      [undefined, 40_000, 'ERR_CREDENTIAL_ISSUED_AT'],
      [60_000, 40_000, undefined],
    ] as const) {
      const provider = wallet({ ...options, ...(clockSkewMs !== undefined && { clockSkewMs }) });
      const challenge = await provider.createChallenge({});
      if (challenge.data.family !== 'ethereum') throw new Error('expected an Ethereum challenge');
      const issuedAt = new Date(Date.parse(challenge.data.fields.issuedAt) + aheadMs).toISOString();
      const message = siweFor(challenge.data.fields, key.address, { issuedAt });
      expect(await verifyAs(provider, challenge.id, message, key)).toBe(code);
    }
  });

  it('an expired challenge is unknown: ERR_CREDENTIAL_CHALLENGE', async () => {
    let now = Date.now();
    const provider = wallet({ ...options, challengeTtlMs: 1000, now: () => now });
    const key = evmKey();
    const challenge = await provider.createChallenge({ address: key.address });
    now += 2000;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const message = challenge.message as string;
    expect(await verifyAs(provider, challenge.id, message, key)).toBe('ERR_CREDENTIAL_CHALLENGE');
  });

  it('createChallenge refuses chains that are not configured and bad addresses', async () => {
    const provider = wallet(options);
    expect(await codeOf(provider.createChallenge({ chain: 'eip155:10' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(provider.createChallenge({ chain: 'not a chain' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(provider.createChallenge({ address: '0x1234' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(provider.createChallenge({ chain: 'solana:mainnet', address: '0OIl' }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(await codeOf(provider.createChallenge({ resources: ['not a uri'] }))).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(provider.createChallenge({ requestId: 'has space' }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('bad configuration is ERR_CONFIG', () => {
    for (const bad of [
      { domain: '' },
      { domain: 'a b' },
      { domain: 'app.example', uri: 'ftp://app.example' },
      { domain: 'app.example', chains: ['eip155:0'] },
      { domain: 'app.example', chains: ['cosmos:hub'] },
      { domain: 'app.example', statement: 'two\nlines' },
      { domain: 'app.example', rpc: { 1: 'file:///etc/passwd' } },
    ]) {
      expect(() => wallet(bad), JSON.stringify(bad)).toThrowError(
        expect.objectContaining({ code: 'ERR_CONFIG' }),
      );
    }
  });

  it('request id and resources the server issued must be repeated exactly', async () => {
    const provider = wallet(options);
    const key = evmKey();
    const challenge = await provider.createChallenge({
      requestId: 'req-1',
      resources: ['https://app.example/tos'],
    });
    if (challenge.data.family !== 'ethereum') throw new Error('expected an Ethereum challenge');
    const message = siweFor(challenge.data.fields, key.address, { resources: ['https://app.example/other'] });
    expect(await verifyAs(provider, challenge.id, message, key)).toBe('ERR_CREDENTIAL_REJECTED');
  });
});

describe('wallet() Solana logins', () => {
  it('one-click: the wallet fills in its address; subject is solana:<genesis>:<address>', async () => {
    const provider = wallet(options);
    const key = solanaKey();
    const challenge = await provider.createChallenge({ chain: 'solana:mainnet' });
    if (challenge.data.family !== 'solana') throw new Error('expected a Solana challenge');
    expect(challenge.data.input).toMatchObject({ domain: 'app.example', chainId: 'mainnet', version: '1' });
    const message = createSignInMessageText({
      ...challenge.data.input,
      domain: 'app.example',
      address: key.address,
    });
    const result = await provider.verify({
      challengeId: challenge.id,
      message,
      signature: solanaSign(message, key),
    });
    expect(result.subject).toBe(`${SOLANA_CHAINS.mainnet}:${key.address}`);
    expect(result.wallet).toEqual({ chain: 'solana', address: key.address });
    expect(result.claims.signatureType).toBe('solana:ed25519');
  });

  it('raw signature bytes are accepted; a tampered field or signature is refused with its code', async () => {
    const provider = wallet(options);
    const key = solanaKey();
    const sign = async (change: Partial<SolanaSignInInput>, tamperSignature = false) => {
      const challenge = await provider.createChallenge({
        chain: SOLANA_CHAINS.mainnet,
        address: key.address,
      });
      if (challenge.data.family !== 'solana') throw new Error('expected a Solana challenge');
      const message = createSignInMessageText({
        ...challenge.data.input,
        domain: 'app.example',
        address: key.address,
        ...change,
      });
      const signature = base58.decode(solanaSign(message, key));
      if (tamperSignature) signature[5] = (signature[5] as number) ^ 1;
      return codeOf(provider.verify({ challengeId: challenge.id, message, signature }));
    };
    expect(await sign({})).toBeUndefined();
    expect(await sign({}, true)).toBe('ERR_CREDENTIAL_SIGNATURE');
    expect(await sign({ domain: 'evil.example' })).toBe('ERR_CREDENTIAL_DOMAIN');
    expect(await sign({ uri: 'https://evil.example' })).toBe('ERR_CREDENTIAL_DOMAIN');
    expect(await sign({ chainId: 'devnet' })).toBe('ERR_CREDENTIAL_CHAIN');
    expect(await sign({ nonce: 'abcdefgh12345678' })).toBe('ERR_CREDENTIAL_NONCE');
    expect(await sign({ statement: 'Send all my SOL' })).toBe('ERR_CREDENTIAL_REJECTED');
    expect(await sign({ address: solanaKey().address })).toBe('ERR_CREDENTIAL_AUDIENCE');
  });

  it('a message naming another address signed by this key is refused (the key must be the address)', async () => {
    const provider = wallet(options);
    const [victim, attacker] = [solanaKey(), solanaKey()];
    const challenge = await provider.createChallenge({ chain: 'solana:mainnet' });
    if (challenge.data.family !== 'solana') throw new Error('expected a Solana challenge');
    const message = createSignInMessageText({
      ...challenge.data.input,
      domain: 'app.example',
      address: victim.address,
    });
    expect(
      await codeOf(
        provider.verify({ challengeId: challenge.id, message, signature: solanaSign(message, attacker) }),
      ),
    ).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('small-order and non-canonical keys are refused before any backend runs', async () => {
    const provider = wallet(options);
    const zeroKey = base58.encode(new Uint8Array(32));
    const identity = base58.encode(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)));
    for (const address of [zeroKey, identity]) {
      const challenge = await provider.createChallenge({ chain: 'solana:mainnet' });
      if (challenge.data.family !== 'solana') throw new Error('expected a Solana challenge');
      const message = createSignInMessageText({ ...challenge.data.input, domain: 'app.example', address });
      // R = identity, S = 0: accepted by plain OpenSSL under a small-order key.
      const signature = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0));
      expect(await codeOf(provider.verify({ challengeId: challenge.id, message, signature }))).toBe(
        'ERR_CREDENTIAL_SIGNATURE',
      );
    }
  });
});

describe('one nonce, one login', () => {
  it('concurrent verifies of one challenge (memory store): exactly one succeeds', async () => {
    const provider = wallet({ ...options, store: createMemoryStore() });
    const key = evmKey();
    for (let round = 0; round < 20; round++) {
      const challenge = await provider.createChallenge({ address: key.address });
      const message = challenge.message as string;
      const credential = {
        challengeId: challenge.id,
        message,
        signature: personalSign(message, key.privateKey),
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => provider.verify(credential)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected')
          expect(isAuthBridgeError(o.reason, 'ERR_CREDENTIAL_CHALLENGE')).toBe(true);
      }
    }
  });

  it('the challenge is consumed before the signature is looked at', async () => {
    const store = createMemoryStore();
    const consume = vi.spyOn(store, 'consume');
    const provider = wallet({ ...options, store });
    const challenge = await provider.createChallenge({});
    expect(
      await codeOf(provider.verify({ challengeId: challenge.id, message: 'garbage', signature: 'garbage' })),
    ).toBe('ERR_CREDENTIAL_MALFORMED');
    expect(consume).toHaveBeenCalledTimes(1);
    expect(await store.get(`authbridge:challenge:wallet:${challenge.id}`)).toBeUndefined();
  });
});

describe('ed25519 keys nobody can hold', () => {
  it('refuses non-canonical encodings (y >= p) and small-order points, on both backends', async () => {
    const p = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xed : i === 31 ? 0x7f : 0xff));
    const pPlusOne = Uint8Array.from(p, (b, i) => (i === 0 ? 0xee : b));
    const zero = new Uint8Array(32);
    const message = new Uint8Array(0);
    const identitySignature = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0));
    for (const key of [p, pPlusOne, zero]) {
      expect(isAcceptableEd25519Key(key)).toBe(false);
      expect(await verifyEd25519(key, identitySignature, message, 'webcrypto')).toBe(false);
      expect(await verifyEd25519(key, identitySignature, message, 'noble')).toBe(false);
    }
    expect(isAcceptableEd25519Key(solanaKey().publicKey)).toBe(true);
  });
});
