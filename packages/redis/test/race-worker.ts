// One contender of the multi-process race test. It connects to Redis through the store, then for each
// round the parent sends it waits for the shared start time and, at once, consumes the round's nonce and
// verifies the round's Magic DID token with a Magic provider whose replay store is that Redis store,
// as one instance of an app behind a load balancer would. It reports what it got back.
import { isAuthBridgeError } from '@authbridge/core';
import { magic } from '@authbridge/magic';
import { createRedisStore } from '../src/index.js';

interface Round {
  round: number;
  nonceKey: string;
  didToken: string;
  startAt: number;
}

const { RACE_REDIS_URL: url, RACE_MAGIC_SECRET_KEY: secretKey, RACE_MAGIC_CLIENT_ID: clientId } = process.env;
if (!url || !secretKey || !clientId || !process.send) {
  console.error(
    'race-worker needs RACE_REDIS_URL, RACE_MAGIC_SECRET_KEY, RACE_MAGIC_CLIENT_ID and an IPC channel.',
  );
  process.exit(2);
}
const send = process.send.bind(process);
const store = createRedisStore({ url, prefix: 'race:', timeoutMs: 2000 });
// The client id is given, so a verify makes no network call: the only shared state is Redis.
const provider = magic({ secretKey, clientId, replayStore: store });

// A parent that dies or ends the test closes the channel; the worker must not outlive it.
process.on('disconnect', () => {
  void store.close().finally(() => process.exit(0));
});

/** `accepted`, or the code the login was refused with. */
async function login(didToken: string): Promise<string> {
  try {
    await provider.verify(didToken);
    return 'accepted';
  } catch (error) {
    if (isAuthBridgeError(error)) return error.code;
    throw error;
  }
}

process.on('message', async (message: Round) => {
  const wait = message.startAt - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  try {
    const [nonce, magicLogin] = await Promise.all([store.consume(message.nonceKey), login(message.didToken)]);
    send({ round: message.round, pid: process.pid, nonce: nonce ?? null, magicLogin });
  } catch (error) {
    send({
      round: message.round,
      pid: process.pid,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});

// Warm up before the first round, so that round one races on commands, not on set-up: the connection
// and the consume script, and Magic's signature-recovery backend (loaded on first use; a malformed
// token is refused after it loads).
await store.consume('warm-up');
await login('warm-up');
send({ ready: process.pid });
