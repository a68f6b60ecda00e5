import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Hono } from 'hono';
import type { EmulatorEnv, ProviderModule } from '../types.js';

/**
 * A minimal EVM JSON-RPC node for wallet-login tests (`POST /evm`): `eth_chainId`, and `eth_call` of
 * ERC-1271 `isValidSignature(bytes32,bytes)` against one seeded smart account, which answers the magic
 * value exactly when its owner key signed the hash (as a real owner-based account does). Any other
 * address has no code (`0x`); calls without `to` (ERC-6492 deployless validation) are not emulated:
 * tests of those run against a real node.
 */

/** The seeded fixtures of the `evm` emulator. */
export interface EvmFixtures {
  chainId: number;
  /** The smart account's address (EIP-55). */
  smartAccount: string;
  /** The account owner's secp256k1 key (`0x` hex): test-only, generated for the emulator. */
  ownerKey: string;
  ownerAddress: string;
}

const CHAIN_ID = 31337;
const OWNER_KEY = `0x${'4e'.repeat(31)}01`;
const SELECTOR = '1626ba7e';

function checksum(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = bytesToHex(keccak_256(new TextEncoder().encode(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++)
    out += Number.parseInt(hash[i] as string, 16) >= 8 ? lower[i]?.toUpperCase() : lower[i];
  return out;
}

function addressOf(privateKey: string): string {
  const publicKey = secp256k1.getPublicKey(hexToBytes(privateKey.slice(2)), false);
  return checksum(bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12)));
}

const word = (hex: string) => hex.padEnd(64, '0');

/** The signer of a 65-byte `r‖s‖v` signature over `digest`, lowercase, or undefined. */
function recover(digest: Uint8Array, signature: Uint8Array): string | undefined {
  if (signature.length !== 65) return undefined;
  const v = signature[64] as number;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery > 1) return undefined;
  try {
    const layout = new Uint8Array(65);
    layout[0] = recovery;
    layout.set(signature.subarray(0, 64), 1);
    const publicKey = secp256k1.Signature.fromBytes(layout, 'recovered')
      .recoverPublicKey(digest)
      .toBytes(false);
    return `0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`;
  } catch {
    return undefined;
  }
}

interface RpcRequest {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: unknown[];
}

export const evmModule: ProviderModule = {
  id: 'evm',
  create() {
    const fixtures: EvmFixtures = {
      chainId: CHAIN_ID,
      smartAccount: checksum('5a11e7ac0c0a1e5a11e7ac0c0a1e5a11e7ac0c0a'),
      ownerKey: OWNER_KEY,
      ownerAddress: addressOf(OWNER_KEY),
    };
    const app = new Hono<EmulatorEnv>();
    app.post('/', async (c) => {
      const request = (await c.req.json().catch(() => ({}))) as RpcRequest;
      const answer = (result: string) => c.json({ jsonrpc: '2.0', id: request.id ?? null, result });
      const fail = (code: number, message: string) =>
        c.json({ jsonrpc: '2.0', id: request.id ?? null, error: { code, message } });
      if (request.method === 'eth_chainId') return answer(`0x${CHAIN_ID.toString(16)}`);
      if (request.method !== 'eth_call') return fail(-32601, 'Method not found');
      const call = request.params?.[0] as { to?: string; data?: string } | undefined;
      if (!call?.to) return fail(-32000, 'deployless calls are not emulated');
      if (call.to.toLowerCase() !== fixtures.smartAccount.toLowerCase()) return answer('0x');
      const data = (call.data ?? '').replace(/^0x/, '');
      if (!data.startsWith(SELECTOR) || !/^[0-9a-fA-F]*$/.test(data)) return fail(3, 'execution reverted');
      const bytes = hexToBytes(data.slice(8).length % 2 === 0 ? data.slice(8) : '');
      const digest = bytes.subarray(0, 32);
      const length = Number.parseInt(bytesToHex(bytes.subarray(64, 96)) || '0', 16);
      const signature = bytes.subarray(96, 96 + length);
      const signer = recover(digest, signature);
      const valid = signer !== undefined && signer === fixtures.ownerAddress.toLowerCase();
      return answer(`0x${word(valid ? SELECTOR : 'ffffffff')}`);
    });
    return { app, fixtures };
  },
};
