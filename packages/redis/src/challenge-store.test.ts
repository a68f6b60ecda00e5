/**
 * Challenges across instances: two provider instances (two app servers) that share one Redis store
 * finish each other's logins, exactly once; with a memory store each, they cannot.
 */
import { createMemoryStore, type KeyValueStore } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { picket } from '@authbridge/picket';
import { rejectionOf } from '@authbridge/test-utils';
import { toopher } from '@authbridge/toopher';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisStore, type RedisStore } from './index.js';

const url = inject('redisUrl');

interface PicketFixtures {
  apiBasePath: string;
  projects: { secretKey: string; format: string }[];
  wallets: { chain: string; address: string; privateKey?: string }[];
}
interface ToopherFixtures {
  consumerKey: string;
  consumerSecret: string;
  users: { paired: { username: string; userId: string } };
}

let emulator: Emulator;
const stores: RedisStore[] = [];
/** One app instance's connection to the shared Redis. */
const redisStore = () => {
  const store = createRedisStore({ url, prefix: `challenges-${process.pid}:` });
  stores.push(store);
  return store;
};

beforeAll(async () => {
  emulator = await startEmulator({ providers: ['picket', 'toopher'] });
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await emulator.close();
});

describe('Picket challenges in a shared Redis store', () => {
  const fixtures = () => emulator.fixtures.picket as PicketFixtures;
  const instance = (challengeStore: KeyValueStore) => {
    const project = fixtures().projects.find((p) => p.format === 'simple');
    return picket({
      apiKey: project?.secretKey ?? '',
      baseUrl: `${emulator.urls.picket}${fixtures().apiBasePath}`,
      retry: false,
      challengeStore,
    });
  };
  /** A challenge from `start`, signed by the emulator's seeded EVM wallet. */
  async function signedChallenge(start: ReturnType<typeof instance>) {
    const wallet = fixtures().wallets.find((w) => w.chain === 'ethereum' && w.privateKey);
    const challenge = await start.createChallenge({
      chain: 'ethereum',
      walletAddress: wallet?.address ?? '',
    });
    const signed = await fetch(`${emulator.urls.picket}/_emulator/sign`, {
      method: 'POST',
      body: JSON.stringify({ walletAddress: wallet?.address, message: challenge.message }),
    });
    const { signature } = (await signed.json()) as { signature: string };
    return { challengeId: challenge.id, signature, walletAddress: wallet?.address };
  }

  it('a login started on one instance finishes on another, once', async () => {
    const [a, b, c] = [instance(redisStore()), instance(redisStore()), instance(redisStore())];
    const { walletAddress, ...credential } = await signedChallenge(a);
    await expect(b.verify(credential)).resolves.toMatchObject({ subject: `ethereum:${walletAddress}` });
    expect((await rejectionOf(c.verify(credential))).code).toBe('ERR_CREDENTIAL_CHALLENGE');
  });

  it('of instances racing one challenge exactly one reaches Picket', async () => {
    const instances = [0, 1, 2, 3].map(() => instance(redisStore()));
    const { walletAddress: _, ...credential } = await signedChallenge(
      instances[0] as ReturnType<typeof instance>,
    );
    const outcomes = await Promise.allSettled(instances.map((i) => i.verify(credential)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'ERR_CREDENTIAL_CHALLENGE' });
    }
  });

  it('with a memory store on each instance, the other instance knows no such challenge', async () => {
    const { walletAddress: _, ...credential } = await signedChallenge(instance(createMemoryStore()));
    expect((await rejectionOf(instance(createMemoryStore()).verify(credential))).code).toBe(
      'ERR_CREDENTIAL_CHALLENGE',
    );
  });
});

describe('Toopher challenges in a shared Redis store', () => {
  it('a push started on one instance is polled and granted on another, and logs in once', async () => {
    const { consumerKey, consumerSecret, users } = emulator.fixtures.toopher as ToopherFixtures;
    const instance = () =>
      toopher({
        consumerKey,
        consumerSecret,
        baseUrl: emulator.urls.toopher,
        challengeStore: redisStore(),
        poll: { interval: 20, deadline: 5000 },
      });
    const [a, b, c] = [instance(), instance(), instance()];
    const challenge = await a.createChallenge({ username: users.paired.username, terminal: 'redis test' });
    const requestId = challenge.data.authenticationRequest.id;
    const grant = await fetch(
      `${emulator.urls.toopher}/_emulator/authentication_requests/${requestId}/grant`,
      {
        method: 'POST',
      },
    );
    expect(grant.status).toBe(200);
    const outcomes = await Promise.allSettled([
      b.verify({ challengeId: challenge.id }),
      c.verify({ challengeId: challenge.id }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const won = outcomes.find((o) => o.status === 'fulfilled');
    expect(won?.status === 'fulfilled' && won.value.subject).toBe(users.paired.userId);
    expect((await rejectionOf(a.verify({ challengeId: challenge.id }))).code).toBe(
      'ERR_CREDENTIAL_CHALLENGE',
    );
  });
});
