// One contender of the multi-process race test. It connects to Redis through the store, then for each
// round the parent sends it waits for the shared start time and tries, at once, to consume the
// round's nonce and to write the round's Magic replay record. It reports what it got back.
import { createRedisStore } from '../src/index.js';

interface Round {
  round: number;
  nonceKey: string;
  replayKey: string;
  startAt: number;
}

const url = process.env.RACE_REDIS_URL;
if (!url || !process.send) {
  console.error('race-worker needs RACE_REDIS_URL and an IPC channel.');
  process.exit(2);
}
const send = process.send.bind(process);
const store = createRedisStore({ url, prefix: 'race:', timeoutMs: 2000 });

// A parent that dies or ends the test closes the channel; the worker must not outlive it.
process.on('disconnect', () => {
  void store.close().finally(() => process.exit(0));
});

process.on('message', async (message: Round) => {
  const wait = message.startAt - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  // Magic stores the token's ext; the pid is added so the test can tell whose write survived.
  const record = `${Math.floor(Date.now() / 1000) + 900}:${process.pid}`;
  try {
    const [nonce, replay] = await Promise.all([
      store.consume(message.nonceKey),
      store.setIfAbsent(message.replayKey, record, 60_000),
    ]);
    send({ round: message.round, pid: process.pid, nonce: nonce ?? null, replayWritten: replay, record });
  } catch (error) {
    send({
      round: message.round,
      pid: process.pid,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});

// Warm the connection (and load the consume script) before the first round, so that round one races
// on commands, not on connection setup.
await store.consume('warm-up');
send({ ready: process.pid });
