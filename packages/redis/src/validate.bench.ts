/**
 * Whole Magic logins per second in one Node process: `magic({ replayStore }).verify(didToken)` on a
 * fresh DID token each time (decode, signature recovery, claim checks, then the replay record written
 * with `setIfAbsent`), with the replay store in memory or in Redis. The tokens are minted up front
 * with the emulator's Magic signer (written from the spec independently of @authbridge/magic), so
 * minting is not measured, and no token is validated twice: a second validation would be refused as
 * a replay, and the bench would fail rather than measure a refusal. Each case runs a fixed number of
 * iterations (not a fixed time), so the number of tokens it needs is known before it starts.
 *
 * Signature recovery is the pure-JS backend (`recovery: 'js'`), what an app gets when the optional
 * native `secp256k1` package is not installed. Node runs the validation on one core; the Redis
 * server of the global setup is another process, free to use another core.
 */
import { createMemoryStore, type KeyValueStore } from '@authbridge/core';
import { mintDidToken, personalSign, signingKey } from '@authbridge/emulator';
import { loadNativeRecovery, type MagicProvider, magic } from '@authbridge/magic';
import { afterAll, bench, describe, inject } from 'vitest';
import { createRedisStore } from './index.js';

const CONCURRENT = 64;
const sequential = { time: 0, iterations: 1000, warmupTime: 0, warmupIterations: 20 };
const concurrent = { time: 0, iterations: 20, warmupTime: 0, warmupIterations: 2 };
const TOKENS =
  2 * (sequential.iterations + sequential.warmupIterations) +
  2 * CONCURRENT * (concurrent.iterations + concurrent.warmupIterations) +
  2; // the replay check below

const native = await loadNativeRecovery();
console.log(
  native
    ? 'native backend: loads here, but is not measured below (pure JS only; see packages/magic/src/validate.bench.ts)'
    : 'native backend: not loaded here; pure JS is measured',
);

const AUD = 'bench-client-id';
const user = signingKey();
const issuer = `did:ethr:${user.address}`;
const add = personalSign('none', user.privateKey);
const mintStart = performance.now();
const now = Math.floor(Date.now() / 1000);
const tokens = Array.from({ length: TOKENS }, (_, i) =>
  mintDidToken(
    {
      iat: now,
      ext: now + 3600,
      iss: issuer,
      sub: 'bench-user',
      aud: AUD,
      nbf: now,
      tid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      add,
    },
    user.privateKey,
  ),
);
console.log(`minted ${TOKENS} DID tokens in ${Math.round(performance.now() - mintStart)} ms`);

let used = 0;
function nextToken(): string {
  const token = tokens[used++];
  if (token === undefined) {
    throw new Error(`All ${TOKENS} DID tokens are used up: TOKENS no longer matches the iterations.`);
  }
  return token;
}

const memoryStore = createMemoryStore({ maxEntries: 1_000_000 });
const redisStore = createRedisStore({ url: inject('redisUrl'), prefix: 'bench:login:' });
afterAll(async () => {
  console.log(`validated ${used} of ${TOKENS} DID tokens`);
  await redisStore.close();
});

function provider(replayStore: KeyValueStore): MagicProvider {
  return magic({ secretKey: 'sk_test_bench', clientId: AUD, recovery: 'js', replayStore });
}
const withMemory = provider(memoryStore);
const withRedis = provider(redisStore);

// Each provider accepts a fresh token and refuses it the second time, or the figures mean nothing.
for (const login of [withMemory, withRedis]) {
  const token = nextToken();
  await login.verify(token);
  const replay = await login.verify(token).then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );
  if (replay !== 'ERR_CREDENTIAL_REPLAYED') throw new Error(`A replayed token was not refused (${replay}).`);
}

async function login(provider: MagicProvider): Promise<void> {
  await provider.verify(nextToken());
}

async function loginConcurrently(provider: MagicProvider): Promise<void> {
  await Promise.all(Array.from({ length: CONCURRENT }, () => login(provider)));
}

// The functions are async, so tinybench awaits them without a probe call first (a plain arrow
// returning a promise is called once more per case to find out, which would take extra tokens).
describe('Magic login (verify + replay record), one at a time, pure JS', () => {
  bench('replayStore: memory store', async () => login(withMemory), sequential);
  bench('replayStore: redis store (loopback)', async () => login(withRedis), sequential);
});

describe(`Magic logins, ${CONCURRENT} in flight (one op = ${CONCURRENT} logins), pure JS`, () => {
  bench('replayStore: memory store', async () => loginConcurrently(withMemory), concurrent);
  bench(
    'replayStore: redis store (loopback, one connection)',
    async () => loginConcurrently(withRedis),
    concurrent,
  );
});
