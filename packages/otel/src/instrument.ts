import type { AnyAuthProvider, Auth } from '@authbridge/core';
import { context, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import {
  ATTRIBUTES,
  errorCodeOf,
  markFailed,
  type TracedOperation,
  type TracingOptions,
  tracerOf,
} from './attributes.js';
import { withAttemptCounter } from './operation-context.js';

/** Options of {@link instrument} and {@link instrumentAuth}. */
export type InstrumentOptions = TracingOptions;

const TRACED: readonly TracedOperation[] = ['verify', 'createChallenge', 'logout'];

/** The provider id a span names: a registered one, never text from a request. */
const UNKNOWN_PROVIDER = 'unknown';

/**
 * Runs `call` inside a span `<provider>.<operation>` and records its outcome, error code, duration
 * and the number of provider-call attempts it made. The error itself goes on unchanged.
 */
async function traced<T>(
  tracer: Tracer,
  provider: string,
  operation: TracedOperation,
  call: () => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(`${provider}.${operation}`, {
    kind: SpanKind.INTERNAL,
    attributes: { [ATTRIBUTES.provider]: provider, [ATTRIBUTES.operation]: operation },
  });
  const { context: inner, counter } = withAttemptCounter(trace.setSpan(context.active(), span));
  const started = performance.now();
  try {
    const result = await context.with(inner, call);
    span.setAttribute(ATTRIBUTES.outcome, 'success');
    return result;
  } catch (error) {
    span.setAttribute(ATTRIBUTES.outcome, 'error');
    markFailed(span, errorCodeOf(error));
    throw error;
  } finally {
    span.setAttribute(ATTRIBUTES.attempts, counter.attempts);
    span.setAttribute(ATTRIBUTES.durationMs, Math.round((performance.now() - started) * 1000) / 1000);
    span.end();
  }
}

/**
 * The same provider, with a span around each `verify`, `createChallenge` and `logout` it has:
 * `<id>.<operation>` (`pi.verify`), with the provider id, the operation, the outcome (`success` or
 * `error`), the error code, the duration and the number of provider-call attempts. Everything else
 * (Pi's `payments`, Magic's `admin`...) is the provider's own, untouched; its provider calls get
 * spans from {@link createTracingHooks}, which the provider needs in its `hooks` option for the
 * attempts inside each operation to be traced too.
 *
 * Spans never carry the credential, the challenge input, the subject, the result or an error's
 * message: only the error's stable code.
 *
 * Errors: none of its own; each call rejects exactly as the provider's does.
 *
 * @example
 * ```ts
 * import { magic } from '@authbridge/magic';
 * import { createTracingHooks, instrument } from '@authbridge/otel';
 *
 * const provider = instrument(magic({ secretKey: process.env.MAGIC_SECRET_KEY!, hooks: createTracingHooks() }));
 * const user = await provider.verify(didToken); // span magic.verify, with a child per HTTP attempt
 * ```
 */
export function instrument<P extends AnyAuthProvider>(provider: P, options: InstrumentOptions = {}): P {
  const tracer = tracerOf(options);
  const wrapped = new Map<PropertyKey, unknown>();
  for (const operation of TRACED) {
    const method = (provider as unknown as Record<string, unknown>)[operation];
    if (typeof method !== 'function') continue;
    wrapped.set(operation, (...args: unknown[]) =>
      traced(tracer, provider.id, operation, () => method.apply(provider, args)),
    );
  }
  // A proxy rather than a copy: getters, non-enumerable members and class instances stay as they are.
  return new Proxy(provider, {
    get(target, property, receiver) {
      return wrapped.has(property) ? wrapped.get(property) : Reflect.get(target, property, receiver);
    },
  });
}

/**
 * The same registry, with a span around each `verify`, `createChallenge` and `logout` it serves (as
 * {@link instrument} does for one provider), and `get` returning instrumented providers. The span
 * names the provider only when the id is registered: an id taken from a request that names none is
 * recorded as `unknown`, so a client cannot write arbitrary text into traces.
 *
 * Instrument either the registry or its providers, not both, or each operation is traced twice.
 *
 * Errors: none of its own; each call rejects exactly as the registry's does.
 *
 * @example
 * ```ts
 * const hooks = createTracingHooks();
 * const auth = instrumentAuth(createAuth({ providers: [magic({ secretKey, hooks }), pi({ apiKey, hooks })] }));
 * await auth.verify('pi', accessToken); // span pi.verify
 * ```
 */
export function instrumentAuth<P extends AnyAuthProvider>(
  auth: Auth<P>,
  options: InstrumentOptions = {},
): Auth<P> {
  const tracer = tracerOf(options);
  const named = (id: string): string => (auth.has(id) ? id : UNKNOWN_PROVIDER);
  const providers = new Map<string, AnyAuthProvider>();
  return {
    ...auth,
    get: (id) => {
      let provider = providers.get(id);
      if (!provider) {
        provider = instrument(auth.get(id), options);
        providers.set(id, provider);
      }
      return provider as never;
    },
    verify: (id, credential, callOptions) =>
      traced(tracer, named(id), 'verify', () => auth.verify(id, credential, callOptions)),
    createChallenge: (id, input, callOptions) =>
      traced(tracer, named(id), 'createChallenge', () => auth.createChallenge(id, input, callOptions)),
    logout: (id, subject, callOptions) =>
      traced(tracer, named(id), 'logout', () => auth.logout(id, subject, callOptions)),
  };
}
