import { createMemoryStore, isAuthBridgeError } from '@authbridge/core';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as V from '../test/vectors.js';
import { createMagicAdmin } from './admin.js';
import { validateTokenOwnership } from './token-ownership.js';

const RPC = 'https://rpc.example.test';
const NOW = new Date('2026-11-23T12:00:00Z');
const CONTRACT = '0x00000000000000000000000000000000000000aa';
const admin = createMagicAdmin({ secretKey: 'sk_test_123', clientId: null });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

/** A JSON-RPC stub answering eth_call with `balance`, recording the call data. */
function rpc(balance: bigint, calls: unknown[]) {
  nock(RPC)
    .post('/')
    .reply(200, (_uri, body) => {
      const one = (req: { id: number; method: string; params: unknown[] }) => {
        calls.push(req);
        return { jsonrpc: '2.0', id: req.id, result: `0x${balance.toString(16).padStart(64, '0')}` };
      };
      return Array.isArray(body) ? body.map(one) : one(body as never);
    });
}

describe('validateTokenOwnership', () => {
  it('ERC721: balanceOf(owner) > 0 is valid; the selector and the owner are on the wire', async () => {
    const calls: { method: string; params: [{ to: string; data: string }] }[] = [];
    rpc(1n, calls);
    await expect(
      validateTokenOwnership(admin, {
        didToken: V.VALID_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC721',
        rpcUrl: RPC,
        now: NOW,
      }),
    ).resolves.toEqual({ valid: true, errorCode: '', message: '' });
    const call = calls.find((c) => c.method === 'eth_call');
    expect(call?.params[0].data).toBe(`0x70a08231${'0'.repeat(24)}b2ec9b61699762491b6542278e9dfec9050f8089`);
  });

  it('ERC1155: zero balance is NO_OWNERSHIP; the ERC1155 selector is used', async () => {
    const calls: { method: string; params: [{ data: string }] }[] = [];
    rpc(0n, calls);
    await expect(
      validateTokenOwnership(admin, {
        didToken: V.VALID_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC1155',
        tokenId: 7n,
        rpcUrl: RPC,
        now: NOW,
      }),
    ).resolves.toEqual({ valid: false, errorCode: 'NO_OWNERSHIP', message: 'User does not own this token.' });
    expect(calls.find((c) => c.method === 'eth_call')?.params[0].data.slice(0, 10)).toBe('0x00fdd58e');
  });

  it('ERC1155 without tokenId is ERR_CONFIG; an expired token is UNAUTHORIZED; a bad signature throws', async () => {
    await expect(
      validateTokenOwnership(admin, {
        didToken: V.VALID_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC1155',
        rpcUrl: RPC,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG' });
    await expect(
      validateTokenOwnership(admin, {
        didToken: V.EXPIRED_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC721',
        rpcUrl: RPC,
        now: NOW,
      }),
    ).resolves.toEqual({
      valid: false,
      errorCode: 'UNAUTHORIZED',
      message: 'Invalid DID token: ERROR_DIDT_EXPIRED',
    });
    await expect(
      validateTokenOwnership(admin, {
        didToken: V.INVALID_SIGNER_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC721',
        rpcUrl: RPC,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_SIGNATURE' });
  });

  it('an RPC failure is ERR_NETWORK', async () => {
    nock(RPC).post('/').reply(500, 'down');
    await expect(
      validateTokenOwnership(admin, {
        didToken: V.VALID_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC721',
        rpcUrl: RPC,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_NETWORK' });
  });

  it('with a replay store: a token used to sign in can be checked, and a check does not use it up', async () => {
    const guarded = createMagicAdmin({
      secretKey: 'sk_test_123',
      clientId: null,
      replayStore: createMemoryStore(),
      // VALID_DIDT lives ten years (iat 2020, ext 2030), over the default lifespan cap of a login.
      replayMaxLifespan: 1900411204 - 1585011204,
    });
    const check = () =>
      validateTokenOwnership(guarded, {
        didToken: V.VALID_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC721',
        rpcUrl: RPC,
        now: NOW,
      });
    rpc(1n, []);
    await expect(check()).resolves.toMatchObject({ valid: true });
    await guarded.token.validate(V.VALID_DIDT, { now: NOW }); // the login still works after the check
    rpc(1n, []);
    await expect(check()).resolves.toMatchObject({ valid: true });
    await expect(guarded.token.validate(V.VALID_DIDT, { now: NOW })).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_REPLAYED',
    });
  });

  describe('a secret-bearing RPC URL never reaches an error', () => {
    const KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    const SECRET_RPC = `https://mainnet.infura.example/v3/${KEY}?apikey=q9r8s7t6u5`;
    const owns = (extra: Partial<Parameters<typeof validateTokenOwnership>[1]> = {}) =>
      validateTokenOwnership(admin, {
        didToken: V.VALID_DIDT,
        contractAddress: CONTRACT,
        contractType: 'ERC721',
        rpcUrl: SECRET_RPC,
        now: NOW,
        ...extra,
      }).catch((e: unknown) => e);

    /** Everything an app might log: message, details, stack, JSON, String(), the whole cause chain. */
    function everything(error: unknown): string {
      const parts: string[] = [];
      for (let e: unknown = error, depth = 0; e && depth < 10; depth++) {
        const err = e as Error & { details?: unknown };
        parts.push(
          String(err),
          String(err.message),
          String(err.details),
          String(err.stack),
          JSON.stringify(err),
        );
        e = (e as { cause?: unknown }).cause;
      }
      return parts.join('\n');
    }
    const expectClean = (error: unknown) => {
      const all = everything(error);
      expect(all).not.toContain(KEY);
      expect(all).not.toContain('q9r8s7t6u5');
      expect(all).not.toContain('infura.example/v3');
    };

    it('an HTTP error from the RPC', async () => {
      nock('https://mainnet.infura.example').post(/.*/).reply(500, `upstream ${SECRET_RPC} is down`);
      const error = await owns();
      expect(error).toMatchObject({ code: 'ERR_NETWORK' });
      expectClean(error);
    });

    it('a connection failure whose message quotes the URL', async () => {
      nock('https://mainnet.infura.example').post(/.*/).replyWithError(`connect ECONNREFUSED ${SECRET_RPC}`);
      const error = await owns();
      expect(error).toMatchObject({ code: 'ERR_NETWORK' });
      expectClean(error);
    });

    it('a JSON-RPC error whose message quotes the URL', async () => {
      nock('https://mainnet.infura.example')
        .post(/.*/)
        .reply(200, (_uri, body) => {
          const one = (req: { id: number }) => ({
            jsonrpc: '2.0',
            id: req.id,
            error: { code: -32000, message: `rate limited for ${SECRET_RPC} (key ${KEY})` },
          });
          return Array.isArray(body) ? body.map(one) : one(body as never);
        });
      const error = await owns();
      expect(isAuthBridgeError(error)).toBe(true);
      expectClean(error);
    });

    it('a slow RPC is ERR_TIMEOUT after `timeout` ms, not an endless wait', async () => {
      nock('https://mainnet.infura.example').post(/.*/).delay(30_000).reply(200, {});
      const error = await owns({ timeout: 300 });
      expect(error).toMatchObject({ code: 'ERR_TIMEOUT' });
      expectClean(error);
    });

    it("the caller's signal aborts the RPC call with ERR_ABORTED", async () => {
      nock('https://mainnet.infura.example').post(/.*/).delay(30_000).reply(200, {});
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await owns({ signal: controller.signal });
      expect(error).toMatchObject({ code: 'ERR_ABORTED' });
      expectClean(error);
    });
  });
});
