/**
 * One app instance of the cross-process race: its own wallet() provider on the shared Redis store.
 * For each round it waits for the common start instant, verifies the credential it was sent, and
 * answers `ok` or the error code.
 */
// The redis package's source, not a package dependency: redis's own tests depend on provider packages.
import { createRedisStore } from '../../redis/src/index.js';
import { wallet } from '../src/index.js';

const store = createRedisStore({ url: process.env.RACE_REDIS_URL as string, prefix: 'wallet-race:' });
const provider = wallet({ domain: 'app.example', chains: ['eip155:1', 'solana:mainnet'], store });

interface Round {
  round: number;
  startAt: number;
  credential: { challengeId: string; message: string; signature: string };
}

process.on('message', async (message: Round) => {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, message.startAt - Date.now())));
  let outcome: string;
  try {
    await provider.verify(message.credential);
    outcome = 'ok';
  } catch (error) {
    outcome = (error as { code?: string }).code ?? String(error);
  }
  process.send?.({ round: message.round, pid: process.pid, outcome });
});
process.on('disconnect', () => {
  void store.close().finally(() => process.exit(0));
});
process.send?.({ ready: process.pid });
