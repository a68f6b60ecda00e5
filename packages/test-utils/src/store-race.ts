import { type ChildProcess, fork } from 'node:child_process';
import { dirname } from 'node:path';
import { type AuthProvider, isAuthBridgeError, type KeyValueStore } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROUND_DEADLINE_MS = 5000;

/** One round the parent sends every worker. */
interface Round {
  round: number;
  nonceKey: string;
  didToken: string;
  startAt: number;
}

interface Outcome {
  round: number;
  pid: number;
  nonce?: string | null;
  /** `accepted`, or the error code the Magic login was refused with. */
  magicLogin?: string;
  error?: string;
}

/** Options of {@link runStoreRace}. */
export interface StoreRaceOptions {
  /** The worker script (run with tsx), which calls {@link serveRaceWorker} with its own store. */
  worker: string;
  /** Environment the worker needs to reach the shared backend (its url), besides the Magic keys. */
  env: Record<string, string>;
  /** A store on the same backend, for the parent's set-up and checks. */
  createStore(): KeyValueStore;
  /** Releases the parent's store. */
  disposeStore(store: KeyValueStore): Promise<void>;
  /** `replayKey` of `@authbridge/magic`: the key Magic's replayStore writes for a DID token's claim. */
  replayKey(claim: { iss: string; tid: string }): string;
  workers?: number;
  rounds?: number;
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

/**
 * The cross-process race every shared store must win: several Node processes, each one app instance
 * with its own connection, at the same instant consume one nonce and verify one Magic DID token through
 * `magic({ replayStore })`, round after round. Each round exactly one process gets the nonce and
 * exactly one login is accepted; the others are refused with `ERR_CREDENTIAL_REPLAYED`.
 *
 * @example
 * ```ts
 * runStoreRace('Redis', { worker: 'test/race-worker.ts', env: { RACE_URL: url }, replayKey,
 *   createStore: () => createRedisStore({ url }), disposeStore: (s) => (s as RedisStore).close() });
 * ```
 */
/** Disconnects race workers and waits for them to exit, killing one that has not after 3 s. */
export function stopWorkers(workers: readonly ChildProcess[]): Promise<void> {
  return Promise.all(
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
  ).then(() => undefined);
}

export function runStoreRace(name: string, options: StoreRaceOptions): void {
  const { workers: count = 4, rounds = 200 } = options;

  describe(`multi-process race through ${name}`, () => {
    let workers: ChildProcess[] = [];
    let store: KeyValueStore;
    // Magic's client side: the emulator mints a fresh DID token for its seeded user each round.
    let emulator: Emulator;

    /** A new DID token, and the replay key and value Magic's replayStore writes for it. */
    async function mintDidToken(): Promise<{ didToken: string; replayKey: string; ext: number }> {
      const response = await fetch(`${emulator.urls.magic}/_emulator/did-tokens`, { method: 'POST' });
      expect(response.status).toBe(201);
      const { didToken, claim } = (await response.json()) as {
        didToken: string;
        claim: { iss: string; tid: string; ext: number };
      };
      return { didToken, replayKey: options.replayKey(claim), ext: claim.ext };
    }

    beforeAll(async () => {
      store = options.createStore();
      emulator = await startEmulator({ providers: ['magic'] });
      const fixtures = emulator.fixtures.magic as { secretKey: string; clientId: string };
      workers = Array.from({ length: count }, () =>
        fork(options.worker, {
          cwd: dirname(dirname(options.worker)),
          execArgv: ['--import', 'tsx'],
          env: {
            ...process.env,
            ...options.env,
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
      await stopWorkers(workers);
      await options.disposeStore(store);
      await emulator?.close();
    });

    it(`${count} processes race for one nonce and one Magic DID token; exactly one wins each, over ${rounds} rounds`, async () => {
      const runId = `${process.pid}:${Date.now()}`;

      for (let round = 0; round < rounds; round++) {
        const nonceKey = `app:nonce:${runId}:${round}`;
        const nonceValue = `nonce-${round}`;
        await store.set(nonceKey, nonceValue, 60_000);
        const token = await mintDidToken();

        const startAt = Date.now() + 15;
        const message: Round = { round, nonceKey, didToken: token.didToken, startAt };
        for (const worker of workers) worker.send(message);
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
        ).toHaveLength(count - 1);
        expect(await store.get(nonceKey)).toBeUndefined();
        // Every process validated the same token: one login is accepted, the others are refused as replays.
        expect(
          outcomes.filter((o) => o.magicLogin === 'accepted'),
          `round ${round}: accepted Magic logins`,
        ).toHaveLength(1);
        expect(
          outcomes.filter((o) => o.magicLogin === 'ERR_CREDENTIAL_REPLAYED'),
          `round ${round}: Magic logins refused as replays`,
        ).toHaveLength(count - 1);
        // The one record Magic wrote for the token, readable by every instance.
        expect(await store.get(token.replayKey)).toBe(String(token.ext));
      }
    }, 120_000);
  });
}

/** What a race worker needs: its store, and a Magic provider built on it from the keys it is given. */
export interface RaceWorkerOptions {
  store: KeyValueStore;
  /** A Magic provider with `replayStore: store`, for the secret key and client id the parent passes. */
  magic(keys: { secretKey: string; clientId: string }): AuthProvider<string, string>;
  /** Closes the store's connection. */
  close(): Promise<void>;
}

/**
 * The worker side of {@link runStoreRace}, run in each child process: warms up, then for each round
 * waits for the shared start time and, at once, consumes the round's nonce and verifies its DID token,
 * and reports what it got back. Exits when the parent goes away.
 *
 * @example
 * ```ts
 * const store = createRedisStore({ url: process.env.RACE_URL! });
 * await serveRaceWorker({ store, close: () => store.close(),
 *   magic: (keys) => magic({ ...keys, replayStore: store }) });
 * ```
 */
export async function serveRaceWorker(options: RaceWorkerOptions): Promise<void> {
  const { RACE_MAGIC_SECRET_KEY: secretKey, RACE_MAGIC_CLIENT_ID: clientId } = process.env;
  if (!secretKey || !clientId || !process.send) {
    console.error('A race worker needs RACE_MAGIC_SECRET_KEY, RACE_MAGIC_CLIENT_ID and an IPC channel.');
    process.exit(2);
  }
  const send = process.send.bind(process);
  const { store } = options;
  // The client id is given, so a verify makes no network call: the only shared state is the store.
  const provider = options.magic({ secretKey, clientId });

  // A parent that dies or ends the test closes the channel; the worker must not outlive it.
  process.on('disconnect', () => {
    void options.close().finally(() => process.exit(0));
  });

  /** `accepted`, or the code the login was refused with. */
  const login = async (didToken: string): Promise<string> => {
    try {
      await provider.verify(didToken);
      return 'accepted';
    } catch (error) {
      if (isAuthBridgeError(error)) return error.code;
      throw error;
    }
  };

  process.on('message', async (message: Round) => {
    const wait = message.startAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      const [nonce, magicLogin] = await Promise.all([
        store.consume(message.nonceKey),
        login(message.didToken),
      ]);
      send({ round: message.round, pid: process.pid, nonce: nonce ?? null, magicLogin });
    } catch (error) {
      send({
        round: message.round,
        pid: process.pid,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });

  // Warm up before the first round, so that round one races on commands, not on set-up: the
  // connection and prepared statements or scripts, and Magic's signature-recovery backend (loaded on
  // first use; a malformed token is refused after it loads).
  await store.consume('warm-up');
  await login('warm-up');
  send({ ready: process.pid });
}
