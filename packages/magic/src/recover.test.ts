import { bytesToHex } from '@authbridge/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { loadNativeRecovery } from './native-recovery.js';
import { hashPersonalMessage, jsRecovery, recoverPersonalSigner } from './recover.js';

const N = secp256k1.Point.CURVE().n;
const key = secp256k1.utils.randomSecretKey();
const address = `0x${bytesToHex(keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12))}`;
const native = await loadNativeRecovery();
if (!native) throw new Error('The secp256k1 devDependency is expected to be installed for these tests.');

/** A low-s signature and its high-s twin (s' = n − s, recovery bit flipped): both recover the same key. */
function signatures(message: string): { low: string; high: string } {
  const sig = secp256k1.sign(hashPersonalMessage(message), key, { prehash: false, format: 'recovered' });
  const r = sig.subarray(1, 33);
  const s = BigInt(`0x${bytesToHex(sig.subarray(33, 65))}`);
  const rec = sig[0] as number;
  const highS = (N - s).toString(16).padStart(64, '0');
  return {
    low: `0x${bytesToHex(r)}${bytesToHex(sig.subarray(33, 65))}${(27 + rec).toString(16)}`,
    high: `0x${bytesToHex(r)}${highS}${(27 + (rec ^ 1)).toString(16)}`,
  };
}

describe.each([jsRecovery, native])('recoverPersonalSigner ($name backend)', (backend) => {
  it('recovers the signer of low-s and high-s signatures alike', () => {
    const { low, high } = signatures('hello');
    expect(recoverPersonalSigner('hello', low, backend)).toBe(address);
    expect(recoverPersonalSigner('hello', high, backend)).toBe(address);
  });
  it('refuses 64-byte signatures, v outside 27/28, missing 0x and uppercase hex', () => {
    const { low } = signatures('hello');
    const v = low.slice(-2);
    for (const bad of [
      low.slice(0, -2),
      `${low.slice(0, -2)}00`,
      `${low.slice(0, -2)}1d`,
      `${low.slice(0, -2)}23`,
      low.slice(2),
      `0x${low.slice(2).toUpperCase()}`,
      `${low}00`,
    ]) {
      expect(() => recoverPersonalSigner('hello', bad, backend), `${bad.length} ${v}`).toThrow();
    }
  });
  it('refuses r = 0 and r ≥ n', () => {
    const { low } = signatures('hello');
    expect(() => recoverPersonalSigner('hello', `0x${'0'.repeat(64)}${low.slice(66)}`, backend)).toThrow();
    expect(() => recoverPersonalSigner('hello', `0x${'f'.repeat(64)}${low.slice(66)}`, backend)).toThrow();
  });
});

it('both backends agree on 200 random signatures, high-s included', () => {
  for (let i = 0; i < 200; i++) {
    const message = `message ${i} ${Math.random()}`;
    const { low, high } = signatures(message);
    const sig = i % 2 ? high : low;
    expect(recoverPersonalSigner(message, sig, native)).toBe(recoverPersonalSigner(message, sig, jsRecovery));
  }
});
