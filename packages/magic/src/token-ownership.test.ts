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
});
