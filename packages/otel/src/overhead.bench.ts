import { startEmulator } from '@authbridge/emulator';
import { magic } from '@authbridge/magic';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, bench, describe } from 'vitest';
import { createTracingHooks, instrument } from './index.js';

// What tracing adds to a login: the same Magic verify (a DID token validated locally, pure-JS
// signature recovery, no cache, so every call does the whole work) with and without instrument() and
// the tracing hooks, spans recorded by the SDK into an in-memory exporter under an AsyncLocalStorage
// context manager, as in an app with the Node SDK. Each bench times its own calls, and the ratio of
// the two mean times is printed at the end as a `RATIO` line beside its target.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const emulator = await startEmulator({ providers: ['magic'] });
const { secretKey, clientId } = emulator.fixtures.magic as { secretKey: string; clientId: string };
const minted = await fetch(`${emulator.urls.magic}/_emulator/did-tokens`, { method: 'POST' });
const { didToken } = (await minted.json()) as { didToken: string };

const options = { secretKey, clientId, cache: false as const, recovery: 'js' as const };
const plain = magic(options);
const traced = instrument(magic({ ...options, hooks: createTracingHooks({ tracerProvider }) }), {
  tracerProvider,
});
/** Tracing may add at most 5% to a locally validated login, the cheapest login there is. */
const TARGET_MAX_RATIO = 1.05;
const bench_ = { time: 3000, warmupTime: 500 };

const timings = { plain: { ms: 0, n: 0 }, traced: { ms: 0, n: 0 } };
async function timed(which: keyof typeof timings, provider: typeof plain): Promise<void> {
  const started = performance.now();
  await provider.verify(didToken);
  timings[which].ms += performance.now() - started;
  timings[which].n += 1;
  // Keeps the exporter from growing over the run; the spans were recorded and exported already.
  if (exporter.getFinishedSpans().length > 1000) exporter.reset();
}

afterAll(async () => {
  const ratio = timings.traced.ms / timings.traced.n / (timings.plain.ms / timings.plain.n);
  console.log(
    `RATIO name=otel_overhead.magic_verify value=${ratio.toFixed(3)} target<=${TARGET_MAX_RATIO} ` +
      `(${ratio <= TARGET_MAX_RATIO ? 'met' : 'MISSED'}; mean ${(timings.traced.ms / timings.traced.n).toFixed(3)} ms traced vs ${(timings.plain.ms / timings.plain.n).toFixed(3)} ms plain)`,
  );
  context.disable();
  await emulator.close();
});

describe('Magic verify (local validation, pure-JS recovery), with and without tracing', () => {
  bench('plain provider', () => timed('plain', plain), bench_);
  bench('instrument() + createTracingHooks(), spans recorded', () => timed('traced', traced), bench_);
});
