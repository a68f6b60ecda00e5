import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { createRedisStore, type RedisStore } from '@authbridge/redis';
import { stopWorkers } from '@authbridge/test-utils';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evmKey, personalSign, solanaKey, solanaSign } from '../test/keys.js';
import { createSignInMessageText, wallet } from './index.js';

const WORKERS = 4;
const ROUNDS = 40;

function nextMessages<T>(workers: ChildProcess[], accept: (m: unknown) => m is T, ms: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got = new Map<ChildProcess, T>();
    const handlers = workers.map((worker) => {
      const handler = (m: unknown) => {
        if (!accept(m)) return;
        got.set(worker, m);
        if (got.size === workers.length) done(() => resolve([...got.values()]));
      };
      worker.on('message', handler);
      return () => worker.off('message', handler);
    });
    const timer = setTimeout(
      () => done(() => reject(new Error(`workers did not answer within ${ms} ms`))),
      ms,
    );
    const done = (finish: () => void) => {
      clearTimeout(timer);
      for (const off of handlers) off();
      finish();
    };
  });
}

describe('one nonce, one login across processes (Redis)', () => {
  const url = inject('redisUrl');
  let store: RedisStore;
  let workers: ChildProcess[] = [];

  beforeAll(async () => {
    store = createRedisStore({ url, prefix: 'wallet-race:' });
    workers = Array.from({ length: WORKERS }, () =>
      fork(join(import.meta.dirname, '../test/race-worker.ts'), {
        cwd: join(import.meta.dirname, '..'),
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, RACE_REDIS_URL: url },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    await nextMessages(
      workers,
      (m): m is { ready: number } => typeof (m as { ready?: unknown }).ready === 'number',
      30_000,
    );
  }, 40_000);

  afterAll(async () => {
    await stopWorkers(workers);
    await store?.close();
  });

  it(`${WORKERS} processes verify the same SIWE and SIWS credentials: exactly one login per challenge, ${ROUNDS} rounds`, async () => {
    // This instance issues; the worker instances verify, as behind a load balancer.
    const issuer = wallet({ domain: 'app.example', chains: ['eip155:1', 'solana:mainnet'], store });
    const evm = evmKey();
    const sol = solanaKey();
    for (let round = 0; round < ROUNDS; round++) {
      const solana = round % 2 === 1;
      const challenge = await issuer.createChallenge(
        solana ? { chain: 'solana:mainnet' } : { address: evm.address },
      );
      let message: string;
      let signature: string;
      if (challenge.data.family === 'solana') {
        message = createSignInMessageText({
          ...challenge.data.input,
          domain: 'app.example',
          address: sol.address,
        });
        signature = solanaSign(message, sol);
      } else {
        message = challenge.message as string;
        signature = personalSign(message, evm.privateKey);
      }
      const startAt = Date.now() + 20;
      for (const worker of workers)
        worker.send({ round, startAt, credential: { challengeId: challenge.id, message, signature } });
      const outcomes = await nextMessages(
        workers,
        (m): m is { round: number; outcome: string } => (m as { round?: unknown }).round === round,
        10_000,
      );
      const codes = outcomes.map((o) => o.outcome).sort();
      expect(codes, `round ${round}`).toEqual([
        'ERR_CREDENTIAL_CHALLENGE',
        'ERR_CREDENTIAL_CHALLENGE',
        'ERR_CREDENTIAL_CHALLENGE',
        'ok',
      ]);
    }
  }, 120_000);
});
