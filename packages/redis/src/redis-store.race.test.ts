import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisStore, type RedisStore } from './index.js';

const WORKERS = 4;
const ROUNDS = 200;
const ROUND_DEADLINE_MS = 5000;

interface Outcome {
  round: number;
  pid: number;
  nonce?: string | null;
  replayWritten?: boolean;
  record?: string;
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

  beforeAll(async () => {
    store = createRedisStore({ url, prefix: 'race:' });
    workers = Array.from({ length: WORKERS }, () =>
      fork(join(import.meta.dirname, '../test/race-worker.ts'), {
        cwd: join(import.meta.dirname, '..'),
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, RACE_REDIS_URL: url },
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
  });

  it(`${WORKERS} processes race for one nonce and one Magic replay record; exactly one wins each, over ${ROUNDS} rounds`, async () => {
    const nonceWinners = new Set<number>();
    const replayWinners = new Set<number>();
    const runId = `${process.pid}:${Date.now()}`;

    for (let round = 0; round < ROUNDS; round++) {
      const nonceKey = `picket:nonce:${runId}:${round}`;
      // The key and value Magic's replayStore writes for a DID token: address and tid, and its ext.
      const replayKey = `magic:didt:0x5c8a1b2e9f0d4c3b7a6e5f4d3c2b1a0f9e8d7c6b:${runId}-${round}`;
      const nonceValue = `nonce-${round}`;
      await store.set(nonceKey, nonceValue, 60_000);

      const startAt = Date.now() + 15;
      for (const worker of workers) worker.send({ round, nonceKey, replayKey, startAt });
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
      const nonceWins = outcomes.filter((o) => o.nonce === nonceValue);
      const replayWins = outcomes.filter((o) => o.replayWritten === true);
      expect(nonceWins, `round ${round}: nonce winners`).toHaveLength(1);
      expect(
        outcomes.filter((o) => o.nonce === null),
        `round ${round}: nonce losers`,
      ).toHaveLength(WORKERS - 1);
      expect(replayWins, `round ${round}: replay-record winners`).toHaveLength(1);
      // The record that stayed is the winner's, untouched by the losers.
      expect(await store.get(replayKey)).toBe(replayWins[0]?.record);
      expect(await store.get(nonceKey)).toBeUndefined();
      nonceWinners.add(nonceWins[0]?.pid ?? -1);
      replayWinners.add(replayWins[0]?.pid ?? -1);
    }

    // Different processes won different rounds, so the contenders really overlapped in time rather
    // than arriving one after another in a fixed order.
    expect(nonceWinners.size).toBeGreaterThan(1);
    expect(replayWinners.size).toBeGreaterThan(1);
  }, 120_000);
});
