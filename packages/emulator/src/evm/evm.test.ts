import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../server.js';
import type { EvmFixtures } from './index.js';

describe('evm emulator', () => {
  let emulator: Emulator;
  let fixtures: EvmFixtures;
  beforeAll(async () => {
    emulator = await startEmulator({ providers: ['evm'] });
    fixtures = emulator.fixtures.evm as EvmFixtures;
  });
  afterAll(() => emulator.close());

  const rpc = async (method: string, params: unknown[]) => {
    const response = await fetch(emulator.urls.evm as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
    });
    return (await response.json()) as { id: number; result?: string; error?: { code: number } };
  };
  const isValidSignatureCall = (digest: Uint8Array, key: string) => {
    const signature = secp256k1.sign(digest, hexToBytes(key.slice(2)), {
      prehash: false,
      format: 'recovered',
    });
    const rsv = `${bytesToHex(signature.subarray(1))}${((signature[0] as number) + 27).toString(16)}`;
    return `0x1626ba7e${bytesToHex(digest)}${'40'.padStart(64, '0')}${(65).toString(16).padStart(64, '0')}${rsv.padEnd(192, '0')}`;
  };

  it('answers the chain id, and the magic value only for the owner key', async () => {
    expect((await rpc('eth_chainId', [])).result).toBe('0x7a69');
    const digest = keccak_256(new TextEncoder().encode('x'));
    const owner = await rpc('eth_call', [
      { to: fixtures.smartAccount, data: isValidSignatureCall(digest, fixtures.ownerKey) },
      'latest',
    ]);
    expect(owner).toEqual({ jsonrpc: '2.0', id: 7, result: `0x1626ba7e${'0'.repeat(56)}` });
    const other = await rpc('eth_call', [
      { to: fixtures.smartAccount, data: isValidSignatureCall(digest, `0x${'11'.repeat(32)}`) },
      'latest',
    ]);
    expect(other.result).toBe(`0xffffffff${'0'.repeat(56)}`);
    expect((await rpc('eth_call', [{ to: `0x${'00'.repeat(20)}`, data: '0x' }, 'latest'])).result).toBe('0x');
    expect((await rpc('eth_call', [{ data: '0x00' }, 'latest'])).error?.code).toBe(-32000);
  });
});
