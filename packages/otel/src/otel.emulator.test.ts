import { createAuth, type HttpEvent, isAuthBridgeError } from '@authbridge/core';
import { type Emulator, startEmulator } from '@authbridge/emulator';
import { magic } from '@authbridge/magic';
import { type PiProvider, pi } from '@authbridge/pi';
import { picket } from '@authbridge/picket';
import { toopher } from '@authbridge/toopher';
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTRIBUTES,
  combineHooks,
  createTracingHooks,
  INSTRUMENTATION_NAME,
  instrument,
  instrumentAuth,
} from './index.js';

interface PiFixtures {
  apiKey: string;
  users: Record<string, { uid: string; username: string; accessToken: string; walletAddress?: string }>;
}
interface MagicFixtures {
  secretKey: string;
  user: { issuer: string; publicAddress: string; email: string };
}
interface PicketFixtures {
  projects: { secretKey: string; publishableKey: string; format: string }[];
  wallets: { chain: string; address: string; privateKey: string }[];
  apiBasePath: string;
}
interface ToopherFixtures {
  consumerKey: string;
  consumerSecret: string;
  users: Record<'paired', { userId: string; username: string; pairingId: string }>;
}

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracing = { tracerProvider };
const hooks = createTracingHooks(tracing);
// Every span any test produced, for the final scan; and every secret, token and address a test used.
const allSpans: ReadableSpan[] = [];
const secrets = new Set<string>();
const keep = (...values: (string | undefined)[]) => {
  for (const value of values) if (value) secrets.add(value);
};

let emulator: Emulator;
let piFx: PiFixtures;
let magicFx: MagicFixtures;
let toopherFx: ToopherFixtures;
let picketFx: PicketFixtures;
const http = { timeout: 2000, retry: { baseDelay: 5, backoffLimit: 20, jitter: false } };

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  emulator = await startEmulator({ providers: ['pi', 'magic', 'toopher', 'picket'] });
  piFx = emulator.fixtures.pi as PiFixtures;
  magicFx = emulator.fixtures.magic as MagicFixtures;
  toopherFx = emulator.fixtures.toopher as ToopherFixtures;
  picketFx = emulator.fixtures.picket as PicketFixtures;
  for (const project of picketFx.projects) keep(project.secretKey);
  for (const wallet of picketFx.wallets) keep(wallet.address, wallet.privateKey);
  keep(piFx.apiKey, magicFx.secretKey, toopherFx.consumerSecret, toopherFx.consumerKey);
  keep(magicFx.user.issuer, magicFx.user.publicAddress, magicFx.user.email);
  for (const user of Object.values(piFx.users)) keep(user.accessToken, user.walletAddress, user.uid);
  keep(toopherFx.users.paired.userId, toopherFx.users.paired.username, toopherFx.users.paired.pairingId);
});
afterAll(async () => {
  context.disable();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  exporter.reset();
});

/** The spans finished since the test began, each once, also kept for the final scan. */
function spans(): ReadableSpan[] {
  const finished = exporter.getFinishedSpans();
  exporter.reset();
  allSpans.push(...finished);
  return finished;
}
const named = (list: ReadableSpan[], name: string) => list.filter((span) => span.name === name);
const only = (list: ReadableSpan[], name: string): ReadableSpan => {
  const found = named(list, name);
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0] as ReadableSpan;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
/** Attributes without the measured ones, which are checked for type and range instead. */
function fixedAttributes(span: ReadableSpan): Record<string, unknown> {
  const { [ATTRIBUTES.durationMs]: duration, ...rest } = span.attributes;
  expect(typeof duration).toBe('number');
  expect(duration as number).toBeGreaterThanOrEqual(0);
  return rest;
}

function piApp(extra: Record<string, unknown> = {}): PiProvider {
  keep(piFx.apiKey);
  return instrument(
    pi({ apiKey: piFx.apiKey, baseUrl: emulator.urls.pi!, ...http, hooks, ...extra }),
    tracing,
  );
}
const alice = () => piFx.users.alice!;

describe('Pi through the emulator', () => {
  it('traces a verify as one span with one client span per attempt beneath it', async () => {
    const result = await piApp().verify(alice().accessToken);
    expect(result.subject).toBe(alice().uid);

    const list = spans();
    expect(list).toHaveLength(2);
    const verify = only(list, 'pi.verify');
    const attempt = only(list, 'pi GET');
    expect(verify.kind).toBe(SpanKind.INTERNAL);
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(attempt)).toBe(verify.spanContext().spanId);
    expect(attempt.spanContext().traceId).toBe(verify.spanContext().traceId);
    expect(verify.instrumentationScope.name).toBe(INSTRUMENTATION_NAME);
    expect(fixedAttributes(verify)).toEqual({
      [ATTRIBUTES.provider]: 'pi',
      [ATTRIBUTES.operation]: 'verify',
      [ATTRIBUTES.outcome]: 'success',
      [ATTRIBUTES.attempts]: 1,
    });
    expect(fixedAttributes(attempt)).toEqual({
      [ATTRIBUTES.provider]: 'pi',
      [ATTRIBUTES.operation]: 'http',
      [ATTRIBUTES.outcome]: 'success',
      [ATTRIBUTES.attempt]: 1,
      [ATTRIBUTES.httpMethod]: 'GET',
      [ATTRIBUTES.httpStatus]: 200,
    });
    expect(verify.status.code).toBe(SpanStatusCode.UNSET);
    // The attempt lies within the operation, give or take the whole milliseconds of core's event times.
    expect(ms(attempt.startTime)).toBeGreaterThanOrEqual(ms(verify.startTime) - 3);
    expect(ms(attempt.endTime)).toBeLessThanOrEqual(ms(verify.endTime) + 3);
  });

  it('records a retried attempt with its status, code and backoff, and the attempt that followed', async () => {
    emulator.injectFault({ provider: 'pi', path: '/v2/me', times: 1, fault: { status: 503 } });
    await piApp().verify(alice().accessToken);

    const list = spans();
    const verify = only(list, 'pi.verify');
    const attempts = named(list, 'pi GET').sort((a, b) => ms(a.startTime) - ms(b.startTime));
    expect(attempts.map((span) => span.attributes[ATTRIBUTES.attempt])).toEqual([1, 2]);
    const [failed, succeeded] = attempts as [ReadableSpan, ReadableSpan];
    expect(failed.attributes).toMatchObject({
      [ATTRIBUTES.outcome]: 'retry',
      [ATTRIBUTES.httpStatus]: 503,
      [ATTRIBUTES.errorCode]: 'ERR_PROVIDER_SERVER',
      [ATTRIBUTES.errorType]: 'ERR_PROVIDER_SERVER',
    });
    expect(failed.attributes[ATTRIBUTES.retryDelayMs]).toBeGreaterThanOrEqual(0);
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_PROVIDER_SERVER' });
    expect(succeeded.attributes).toMatchObject({
      [ATTRIBUTES.outcome]: 'success',
      [ATTRIBUTES.httpStatus]: 200,
      [ATTRIBUTES.httpResendCount]: 1,
    });
    expect(succeeded.attributes[ATTRIBUTES.errorCode]).toBeUndefined();
    // The failed attempt ends before the backoff, so before the next attempt starts.
    expect(ms(failed.endTime)).toBeLessThanOrEqual(ms(succeeded.startTime) + 3);
    expect(verify.attributes[ATTRIBUTES.attempts]).toBe(2);
    expect(verify.attributes[ATTRIBUTES.outcome]).toBe('success');
    for (const span of attempts) expect(parentOf(span)).toBe(verify.spanContext().spanId);
  });

  it('records a refused token on the attempt (401) and on the verify (its code)', async () => {
    const token = 'pi-access-token-that-pi-never-issued-7c1d';
    keep(token);
    const error = await piApp()
      .verify(token)
      .catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_REJECTED')).toBe(true);

    const list = spans();
    const verify = only(list, 'pi.verify');
    const attempt = only(list, 'pi GET');
    expect(attempt.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'error', [ATTRIBUTES.httpStatus]: 401 });
    expect(String(attempt.attributes[ATTRIBUTES.errorCode])).toMatch(/^ERR_PROVIDER_/);
    expect(verify.attributes).toMatchObject({
      [ATTRIBUTES.outcome]: 'error',
      [ATTRIBUTES.errorCode]: 'ERR_CREDENTIAL_REJECTED',
      [ATTRIBUTES.attempts]: 1,
    });
    expect(verify.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_CREDENTIAL_REJECTED' });
  });

  it('records a timed-out attempt with ERR_TIMEOUT, its duration, and no status', async () => {
    emulator.injectFault({ provider: 'pi', path: '/v2/me', fault: { delayMs: 3000 } });
    const error = await piApp({ timeout: 300, retry: false })
      .verify(alice().accessToken)
      .catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_TIMEOUT')).toBe(true);

    const attempt = only(spans(), 'pi GET');
    expect(attempt.attributes).toMatchObject({
      [ATTRIBUTES.outcome]: 'error',
      [ATTRIBUTES.errorCode]: 'ERR_TIMEOUT',
    });
    expect(attempt.attributes[ATTRIBUTES.httpStatus]).toBeUndefined();
    expect(attempt.attributes[ATTRIBUTES.durationMs]).toBeGreaterThanOrEqual(250);
    expect(ms(attempt.endTime) - ms(attempt.startTime)).toBeGreaterThanOrEqual(250);
  });

  it('keeps a 2xx attempt whose body is refused, and marks the refusal on the verify', async () => {
    emulator.injectFault({ provider: 'pi', path: '/v2/me', fault: { nonJson: true } });
    const error = await piApp()
      .verify(alice().accessToken)
      .catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_UNEXPECTED_RESPONSE')).toBe(true);

    const list = spans();
    const attempt = only(list, 'pi GET');
    const verify = only(list, 'pi.verify');
    expect(attempt.attributes).toMatchObject({
      [ATTRIBUTES.outcome]: 'success',
      [ATTRIBUTES.httpStatus]: 200,
    });
    expect(verify.attributes[ATTRIBUTES.errorCode]).toBe('ERR_UNEXPECTED_RESPONSE');
    expect(verify.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'authbridge.response_rejected',
        {
          [ATTRIBUTES.provider]: 'pi',
          [ATTRIBUTES.errorCode]: 'ERR_UNEXPECTED_RESPONSE',
          [ATTRIBUTES.httpStatus]: 200,
        },
      ],
    ]);
  });

  it("leaves the provider's other members alone, and still traces their provider calls", async () => {
    const plain = pi({ apiKey: piFx.apiKey, baseUrl: emulator.urls.pi!, ...http, hooks });
    const traced = instrument(plain, tracing);
    expect(traced.payments).toBe(plain.payments);
    expect(traced.id).toBe('pi');
    const error = await traced.payments.get('no-such-payment').catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_PROVIDER_NOT_FOUND')).toBe(true);
    const attempt = only(spans(), 'pi GET');
    // Not inside a traced operation: a root span of its own.
    expect(parentOf(attempt)).toBeUndefined();
    expect(attempt.attributes).toMatchObject({ [ATTRIBUTES.httpStatus]: 404, [ATTRIBUTES.outcome]: 'error' });
  });

  it('keeps concurrent verifies apart: each attempt under its own operation', async () => {
    const app = piApp();
    const tokens = Object.values(piFx.users).map((user) => user.accessToken);
    await Promise.allSettled(tokens.map((token) => app.verify(token)));
    const list = spans();
    const operations = named(list, 'pi.verify');
    expect(operations).toHaveLength(tokens.length);
    const attempts = named(list, 'pi GET');
    expect(attempts).toHaveLength(tokens.length);
    expect(new Set(attempts.map(parentOf))).toEqual(
      new Set(operations.map((span) => span.spanContext().spanId)),
    );
  });
});

describe('Magic through the emulator', () => {
  async function mint(): Promise<string> {
    const response = await fetch(`${emulator.urls.magic}/_emulator/did-tokens`, { method: 'POST' });
    expect(response.status).toBe(201);
    const { didToken } = (await response.json()) as { didToken: string };
    keep(didToken);
    return didToken;
  }

  it('traces a verify that looks up the client id, one that needs no call, and a logout', async () => {
    const provider = instrument(
      magic({ secretKey: magicFx.secretKey, baseUrl: emulator.urls.magic!, ...http, hooks }),
      tracing,
    );
    const first = await provider.verify(await mint());
    expect(first.subject).toBe(magicFx.user.issuer);
    let list = spans();
    const verify = only(list, 'magic.verify');
    const lookup = only(list, 'magic GET');
    expect(parentOf(lookup)).toBe(verify.spanContext().spanId);
    expect(verify.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'success', [ATTRIBUTES.attempts]: 1 });

    // The client id is known now: the token is checked locally.
    await provider.verify(await mint());
    list = spans();
    expect(list.map((span) => span.name)).toEqual(['magic.verify']);
    expect(list[0]?.attributes[ATTRIBUTES.attempts]).toBe(0);

    await provider.logout(magicFx.user.issuer);
    list = spans();
    const logout = only(list, 'magic.logout');
    const post = only(list, 'magic POST');
    expect(parentOf(post)).toBe(logout.spanContext().spanId);
    expect(logout.attributes).toMatchObject({
      [ATTRIBUTES.provider]: 'magic',
      [ATTRIBUTES.operation]: 'logout',
      [ATTRIBUTES.outcome]: 'success',
    });
  });

  it('traces a token refused without any provider call', async () => {
    const provider = instrument(
      magic({ secretKey: magicFx.secretKey, clientId: 'emulator-client', baseUrl: emulator.urls.magic! }),
      tracing,
    );
    const malformed = 'definitely-not-a-did-token-31f9';
    keep(malformed);
    await expect(provider.verify(malformed)).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_MALFORMED' });
    const verify = only(spans(), 'magic.verify');
    expect(verify.attributes).toMatchObject({
      [ATTRIBUTES.errorCode]: 'ERR_CREDENTIAL_MALFORMED',
      [ATTRIBUTES.attempts]: 0,
    });
  });
});

describe('Toopher through the emulator', () => {
  it('traces createChallenge and the verify that polls it, with OAuth-signed calls', async () => {
    const { consumerKey, consumerSecret, users } = toopherFx;
    const provider = instrument(
      toopher({ consumerKey, consumerSecret, baseUrl: emulator.urls.toopher!, ...http, hooks }),
      tracing,
    );
    const challenge = await provider.createChallenge({
      username: users.paired.username,
      terminal: 'Laptop 4',
    });
    keep(challenge.id);
    let list = spans();
    const create = only(list, 'toopher.createChallenge');
    const post = only(list, 'toopher POST');
    expect(parentOf(post)).toBe(create.spanContext().spanId);
    expect(create.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'success', [ATTRIBUTES.attempts]: 1 });

    const requestId = challenge.data.authenticationRequest.id;
    keep(requestId);
    const grant = await fetch(
      `${emulator.urls.toopher}/_emulator/authentication_requests/${requestId}/grant`,
      {
        method: 'POST',
      },
    );
    expect(grant.status).toBe(200);
    const result = await provider.verify({ challengeId: challenge.id });
    expect(result.subject).toBe(users.paired.userId);
    list = spans();
    const verify = only(list, 'toopher.verify');
    const polls = named(list, 'toopher GET');
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const poll of polls) expect(parentOf(poll)).toBe(verify.spanContext().spanId);
    expect(verify.attributes[ATTRIBUTES.attempts]).toBe(polls.length);
  });
});

describe('Picket through the emulator', () => {
  it('traces createChallenge and a verify Picket refuses', async () => {
    const project = picketFx.projects.find((p) => p.format === 'simple');
    const wallet = picketFx.wallets.find((w) => w.chain === 'ethereum');
    if (!project || !wallet) throw new Error('the emulator seeds a simple project and an EVM wallet');
    const provider = instrument(
      picket({
        apiKey: project.secretKey,
        baseUrl: `${emulator.urls.picket}${picketFx.apiBasePath}`,
        ...http,
        hooks,
      }),
      tracing,
    );
    const challenge = await provider.createChallenge({ chain: 'ethereum', walletAddress: wallet.address });
    keep(challenge.id, challenge.message);
    let list = spans();
    const create = only(list, 'picket.createChallenge');
    expect(create.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'success' });
    const calls = list.filter((span) => span.kind === SpanKind.CLIENT);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) expect(parentOf(call)).toBe(create.spanContext().spanId);
    expect(create.attributes[ATTRIBUTES.attempts]).toBe(calls.length);

    const signature = `0x${'11'.repeat(65)}`;
    keep(signature);
    const error = await provider.verify({ challengeId: challenge.id, signature }).catch((e: unknown) => e);
    expect(isAuthBridgeError(error)).toBe(true);
    const code = (error as { code: string }).code;
    expect(code).toMatch(/^ERR_CREDENTIAL_/);
    list = spans();
    const verify = only(list, 'picket.verify');
    expect(verify.attributes).toMatchObject({ [ATTRIBUTES.outcome]: 'error', [ATTRIBUTES.errorCode]: code });
    expect(verify.status).toEqual({ code: SpanStatusCode.ERROR, message: code });
  });
});

describe('instrumentAuth', () => {
  const registry = () =>
    instrumentAuth(
      createAuth({
        providers: [
          pi({ apiKey: piFx.apiKey, baseUrl: emulator.urls.pi!, ...http, hooks }),
          magic({ secretKey: magicFx.secretKey, baseUrl: emulator.urls.magic!, ...http, hooks }),
        ],
      }),
      tracing,
    );

  it('traces verify by id, and get returns the same instrumented provider each time', async () => {
    const auth = registry();
    await auth.verify('pi', alice().accessToken);
    const list = spans();
    const verify = only(list, 'pi.verify');
    expect(parentOf(only(list, 'pi GET'))).toBe(verify.spanContext().spanId);

    const provider = auth.get('pi');
    expect(auth.get('pi')).toBe(provider);
    await provider.verify(alice().accessToken);
    expect(named(spans(), 'pi.verify')).toHaveLength(1);
    expect(auth.ids).toEqual(['pi', 'magic']);
    expect(auth.hasLogout('magic')).toBe(true);
  });

  it('names an id no provider is registered under `unknown`, never the text a client sent', async () => {
    const auth = registry();
    const hostile = 'evil<script>-0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
    keep(hostile);
    await expect(auth.verify(hostile as 'pi', 'token')).rejects.toMatchObject({ code: 'ERR_CONFIG' });
    const verify = only(spans(), 'unknown.verify');
    expect(verify.attributes).toMatchObject({
      [ATTRIBUTES.provider]: 'unknown',
      [ATTRIBUTES.errorCode]: 'ERR_CONFIG',
    });
  });
});

describe('combineHooks', () => {
  it("calls the app's hooks beside tracing, even when one of them throws", async () => {
    const seen: string[] = [];
    const combined = combineHooks(
      {
        onRequest: () => {
          throw new Error('a broken observer');
        },
      },
      createTracingHooks(tracing),
      { onRequest: (event: HttpEvent) => seen.push(`request ${event.attempt}`) },
      { onResponse: (event: HttpEvent) => seen.push(`response ${event.status}`) },
    );
    const app = instrument(
      pi({ apiKey: piFx.apiKey, baseUrl: emulator.urls.pi!, ...http, hooks: combined }),
      tracing,
    );
    await app.verify(alice().accessToken);
    expect(seen).toEqual(['request 1', 'response 200']);
    expect(named(spans(), 'pi GET')).toHaveLength(1);
  });
});

describe('what spans carry', () => {
  const allowed = new Set<string>(Object.values(ATTRIBUTES));

  it('no span name, attribute, event or status of any test above holds a secret, token or address', () => {
    spans();
    // The scan means something only if the tests above produced spans, with errors among them.
    expect(allSpans.length).toBeGreaterThan(30);
    expect(allSpans.some((span) => span.status.code === SpanStatusCode.ERROR)).toBe(true);
    expect(secrets.size).toBeGreaterThan(10);

    const needles = [...secrets].flatMap((secret) => {
      const lower = secret.toLowerCase();
      // An address also without its 0x, and a long token by any 16-character piece of it.
      const bare = lower.startsWith('0x') ? [lower.slice(2)] : [];
      const pieces = lower.length > 32 ? [lower.slice(0, 16), lower.slice(-16)] : [];
      return [lower, ...bare, ...pieces];
    });
    for (const span of allSpans) {
      for (const key of Object.keys(span.attributes)) expect(allowed, `${span.name}: ${key}`).toContain(key);
      for (const event of span.events) {
        for (const key of Object.keys(event.attributes ?? {}))
          expect(allowed, `${event.name}: ${key}`).toContain(key);
      }
      const texts = [
        span.name,
        span.status.message ?? '',
        ...Object.values(span.attributes).map(String),
        ...span.events.flatMap((event) => [event.name, ...Object.values(event.attributes ?? {}).map(String)]),
      ].map((text) => text.toLowerCase());
      for (const text of texts) {
        for (const needle of needles) expect(text, `${span.name} holds a secret`).not.toContain(needle);
      }
    }
  });
});
