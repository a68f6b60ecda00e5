import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { type MagicClaims, replayKey } from '@authbridge/magic';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisStore, type RedisStore } from './index.js';

const WORKERS = 4;
const ROUNDS = 200;
const ROUND_DEADLINE_MS = 5000;

interface Outcome {
  round: number;
  pid: number;
  nonce?: string | null;
  /** `accepted`, or the error code the Magic login was refused with. */
  magicLogin?: string;
  error?: string;
}

/** Resolves with the first message of each worker that `accept` takes, or rejects after `ms`. */
function collect<T>(
  workers: ChildProcess[],
  accept: (m: unknown) => m is T,
  ms: number,
  what: string,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got = new Map<ChildProcess, T>();
    const listeners = workers.map((worker) => {
      const onMessage = (message: unknown) => {
        if (!accept(message)) return;
        got.set(worker, message);
        if (got.size === workers.length) finish();
      };
      const onExit = (code: number | null) =>
        fail(new Error(`A race worker exited (code ${code}) during ${what}.`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      return { worker, onMessage, onExit };
    });
    const timer = setTimeout(
      () => fail(new Error(`Race workers did not all answer ${what} within ${ms} ms.`)),
      ms,
    );
    const cleanup = () => {
      clearTimeout(timer);
      for (const { worker, onMessage, onExit } of listeners) {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      }
    };
    const finish = () => {
      cleanup();
      resolve([...got.values()]);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
  });
}

describe('multi-process race through Redis', () => {
  const url = inject('redisUrl');
  let workers: ChildProcess[] = [];
  let store: RedisStore;
  // Magic's client side: the emulator mints a fresh DID token for its seeded user each round.
  let emulator: Emulator;

  /** A new DID token, and the replay key and value Magic's replayStore writes for it. */
  async function mintDidToken(): Promise<{ didToken: string; replayKey: string; ext: number }> {
    const response = await fetch(`${emulator.urls.magic}/_emulator/did-tokens`, { method: 'POST' });
    expect(response.status).toBe(201);
    const { didToken, claim } = (await response.json()) as { didToken: string; claim: MagicClaims };
    return { didToken, replayKey: replayKey(claim), ext: claim.ext };
  }

  beforeAll(async () => {
    store = createRedisStore({ url, prefix: 'race:' });
    emulator = await startEmulator({ providers: ['magic'] });
    const fixtures = emulator.fixtures.magic as { secretKey: string; clientId: string };
    workers = Array.from({ length: WORKERS }, () =>
      fork(join(import.meta.dirname, '../test/race-worker.ts'), {
        cwd: join(import.meta.dirname, '..'),
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          RACE_REDIS_URL: url,
          RACE_MAGIC_SECRET_KEY: fixtures.secretKey,
          RACE_MAGIC_CLIENT_ID: fixtures.clientId,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    await collect(
      workers,
      (m): m is { ready: number } => typeof (m as { ready?: unknown }).ready === 'number',
      20_000,
      'start-up',
    );
  }, 30_000);

  afterAll(async () => {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
            const kill = setTimeout(() => worker.kill('SIGKILL'), 3000);
            worker.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            worker.disconnect();
          }),
      ),
    );
    await store.close();
    await emulator?.close();
  });

  it(`${WORKERS} processes race for one nonce and one Magic DID token; exactly one wins each, over ${ROUNDS} rounds`, async () => {
    const runId = `${process.pid}:${Date.now()}`;

    for (let round = 0; round < ROUNDS; round++) {
      const nonceKey = `app:nonce:${runId}:${round}`;
      const nonceValue = `nonce-${round}`;
      await store.set(nonceKey, nonceValue, 60_000);
      const token = await mintDidToken();

      const startAt = Date.now() + 15;
      for (const worker of workers) worker.send({ round, nonceKey, didToken: token.didToken, startAt });
      const outcomes = await collect(
        workers,
        (m): m is Outcome => (m as Outcome).round === round,
        ROUND_DEADLINE_MS,
        `round ${round}`,
      );

      expect(
        outcomes.filter((o) => o.error),
        `round ${round} errors`,
      ).toEqual([]);
      expect(
        outcomes.filter((o) => o.nonce === nonceValue),
        `round ${round}: nonce winners`,
      ).toHaveLength(1);
      expect(
        outcomes.filter((o) => o.nonce === null),
        `round ${round}: nonce losers`,
      ).toHaveLength(WORKERS - 1);
      expect(await store.get(nonceKey)).toBeUndefined();
      // Every process validated the same token: one login is accepted, the others are refused as replays.
      expect(
        outcomes.filter((o) => o.magicLogin === 'accepted'),
        `round ${round}: accepted Magic logins`,
      ).toHaveLength(1);
      expect(
        outcomes.filter((o) => o.magicLogin === 'ERR_CREDENTIAL_REPLAYED'),
        `round ${round}: Magic logins refused as replays`,
      ).toHaveLength(WORKERS - 1);
      // The one record Magic wrote for the token, readable by every instance.
      expect(await store.get(token.replayKey)).toBe(String(token.ext));
    }
  }, 120_000);
});
