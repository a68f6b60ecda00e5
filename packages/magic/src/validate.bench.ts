/**
 * Side by side, in one run, on the same tokens: @magic-sdk/admin's `token.validate` against ours
 * (pure JS, native libsecp256k1, and a repeat validation served from the verified-token cache).
 * vitest prints each group's ratios of mean rates; `bench/import-and-size.mjs`, which the package's
 * `bench` script runs next, reads the JSON report and prints the ratios of median rates (robust
 * to a busy machine) next to the targets, with import time and installed size.
 */

import { bytesToHex } from '@authbridge/core';
import { cpuPerOp, micros, reportRatio } from '@authbridge/test-utils';
import { Magic } from '@magic-sdk/admin';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bench, describe } from 'vitest';
import { createMagicAdmin } from './admin.js';
import { loadNativeRecovery } from './native-recovery.js';
import { hashPersonalMessage, jsRecovery } from './recover.js';
import { validateDIDToken } from './validate.js';

const AUD = 'bench-client-id';
// Only the compiled binding counts as native (see native-recovery.ts): the package's elliptic
// fallback would be measured under a false name.
const native = await loadNativeRecovery();
console.log(
  native
    ? "native backend: the secp256k1 package's compiled libsecp256k1 binding loaded"
    : 'native backend: no compiled secp256k1 binding loads here; the native case is not measured',
);

function sign(message: string, key: Uint8Array): string {
  const sig = secp256k1.sign(hashPersonalMessage(message), key, { prehash: false, format: 'recovered' });
  return `0x${bytesToHex(sig.subarray(1))}${(27 + (sig[0] as number)).toString(16)}`;
}

/** 256 distinct login tokens of 16 users, shaped like Magic's: first-time validation never repeats a token. */
const tokens = Array.from({ length: 256 }, (_, i) => {
  const key = keccak_256(new TextEncoder().encode(`bench user ${i % 16}`));
  const address = `0x${bytesToHex(keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12))}`;
  const now = Math.floor(Date.now() / 1000);
  const claim = JSON.stringify({
    iat: now,
    ext: now + 86_400,
    iss: `did:ethr:${address}`,
    sub: `user-${i % 16}`,
    aud: AUD,
    nbf: now,
    tid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    add: sign('none', key),
  });
  return btoa(JSON.stringify([sign(claim, key), claim]));
});

const official = new Magic('sk_test_bench', { clientId: AUD });
const oursJs = createMagicAdmin({
  secretKey: 'sk_test_bench',
  clientId: AUD,
  recovery: jsRecovery,
  cache: false,
});
const oursNative =
  native &&
  createMagicAdmin({
    secretKey: 'sk_test_bench',
    clientId: AUD,
    recovery: native,
    cache: false,
  });
const oursCached = createMagicAdmin({ secretKey: 'sk_test_bench', clientId: AUD, recovery: jsRecovery });

// Every implementation must accept every token, or the comparison means nothing.
for (const token of tokens) {
  official.token.validate(token);
  if (native) validateDIDToken(token, { clientId: AUD, recovery: native });
  await oursJs.token.validate(token);
}
const repeated = tokens[0] as string;
await oursCached.token.validate(repeated);

let i = 0;
const next = () => tokens[i++ % tokens.length] as string;
const options = { time: 3000, warmupTime: 500 };

if (native && oursNative) {
  // The floor under a first-time validation: libsecp256k1's recovery and the two keccaks (the
  // EIP-191 envelope, the public key), on inputs prepared in advance.
  const prepared = tokens.map((token) => {
    const [proof, claim] = JSON.parse(atob(token)) as [string, string];
    const sig = Uint8Array.from(proof.slice(2).match(/../g) ?? [], (h) => Number.parseInt(h, 16));
    const body = new TextEncoder().encode(claim);
    const envelope = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${body.length}${claim}`);
    return { rs: sig.subarray(0, 64), recovery: (sig[64] as number) - 27, envelope };
  });
  let j = 0;
  const floor = {
    ours: async () => {
      await oursNative.token.validate(next());
    },
    raw: () => {
      const t = prepared[j++ % prepared.length] as (typeof prepared)[number];
      keccak_256(native.recoverPublicKey(t.rs, t.recovery, keccak_256(t.envelope)).subarray(1));
    },
  };
  const cost = await cpuPerOp(floor, { rounds: 15, opsPerRound: 500 });
  reportRatio(
    'magic.validate-native/raw-libsecp256k1',
    cost.raw / cost.ours,
    { min: 0.9 },
    `share of the floor: ${micros(cost.ours)} per validate vs ${micros(cost.raw)} for recovery + two keccaks, CPU`,
  );
} else {
  console.log(
    'RATIO name=magic.validate-native/raw-libsecp256k1 value=n/a target>=0.9x met=no (no native binding)',
  );
}

describe('first-time validate', () => {
  bench('@magic-sdk/admin token.validate', () => official.token.validate(next()), options);
  bench(
    '@authbridge/magic token.validate (pure JS)',
    async () => {
      await oursJs.token.validate(next());
    },
    options,
  );
  if (oursNative) {
    bench(
      '@authbridge/magic token.validate (native)',
      async () => {
        await oursNative.token.validate(next());
      },
      options,
    );
  }
});

describe('repeat validation of one token', () => {
  bench('@magic-sdk/admin token.validate', () => official.token.validate(repeated), options);
  bench(
    '@authbridge/magic token.validate (cached)',
    async () => {
      await oursCached.token.validate(repeated);
    },
    options,
  );
});
