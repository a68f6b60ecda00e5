import type { HttpEvent, HttpHooks } from '@authbridge/core';
import { type Attributes, context, SpanKind, trace } from '@opentelemetry/api';
import { ATTRIBUTES, markFailed, type TracingOptions, tracerOf } from './attributes.js';
import { countAttempt } from './operation-context.js';

/** Options of {@link createTracingHooks}. */
export type TracingHooksOptions = TracingOptions;

type AttemptOutcome = 'success' | 'retry' | 'error';

const isSuccess = (status: number | undefined): boolean =>
  status !== undefined && status >= 200 && status < 300;

/**
 * HTTP hooks that record one client span per attempt of every provider call: `<provider> <METHOD>`,
 * with the provider, the attempt number, the status, the outcome (`success`, `retry` or `error`), the
 * error code, and the attempt's duration (from sending it to the end of its body). The span is written
 * when the attempt's outcome is known, with the attempt's own start and end times, so a retry's backoff
 * is not counted in the failed attempt. Inside an operation traced by {@link instrument} each attempt
 * is a child of the operation's span (with a context manager registered, as the Node SDK does).
 *
 * No URL, header or body is recorded (a path can hold a user id or a wallet address, a query a token):
 * only values core's events carry that the SDK chose itself. A 2xx answer whose body is then refused
 * (`ERR_UNEXPECTED_RESPONSE`) keeps its `success` attempt (the provider did answer) and adds an
 * `authbridge.response_rejected` event with the code to the enclosing span.
 *
 * Errors: none; a hook never throws, and core ignores a hook that would.
 *
 * @example
 * ```ts
 * import { pi } from '@authbridge/pi';
 * import { createTracingHooks, instrument } from '@authbridge/otel';
 *
 * const piApp = instrument(pi({ apiKey: process.env.PI_API_KEY!, hooks: createTracingHooks() }));
 * ```
 */
export function createTracingHooks(options: TracingHooksOptions = {}): HttpHooks {
  const tracer = tracerOf(options);

  /** Writes the span of the attempt `event` describes, which ended `endOffsetMs` before now. */
  const recordAttempt = (event: HttpEvent, outcome: AttemptOutcome, endOffsetMs = 0): void => {
    const parent = context.active();
    countAttempt(parent);
    const end = Date.now() - endOffsetMs;
    const durationMs = event.durationMs ?? 0;
    const attributes: Attributes = {
      [ATTRIBUTES.provider]: event.provider,
      [ATTRIBUTES.operation]: 'http',
      [ATTRIBUTES.outcome]: outcome,
      [ATTRIBUTES.attempt]: event.attempt,
      [ATTRIBUTES.durationMs]: durationMs,
      [ATTRIBUTES.httpMethod]: event.method,
    };
    if (event.attempt > 1) attributes[ATTRIBUTES.httpResendCount] = event.attempt - 1;
    if (event.status !== undefined) attributes[ATTRIBUTES.httpStatus] = event.status;
    if (outcome === 'retry' && event.delayMs !== undefined)
      attributes[ATTRIBUTES.retryDelayMs] = event.delayMs;
    const span = tracer.startSpan(
      `${event.provider} ${event.method}`,
      { kind: SpanKind.CLIENT, startTime: end - durationMs, attributes },
      parent,
    );
    if (event.error) markFailed(span, event.error.code);
    span.end(end);
  };

  return {
    // Only a 2xx ends its attempt here: any other status is followed by onRetry or onError, which
    // carry it with the error.
    onResponse: (event) => {
      if (isSuccess(event.status)) recordAttempt(event, 'success');
    },
    // Called after the backoff: the attempt ended `delayMs` ago.
    onRetry: (event) => recordAttempt(event, 'retry', event.delayMs ?? 0),
    onError: (event) => {
      if (!isSuccess(event.status)) {
        recordAttempt(event, 'error');
        return;
      }
      // The attempt was recorded as answered; its body was refused afterwards.
      trace.getActiveSpan()?.addEvent('authbridge.response_rejected', {
        [ATTRIBUTES.provider]: event.provider,
        [ATTRIBUTES.errorCode]: event.error?.code ?? '_OTHER',
        [ATTRIBUTES.httpStatus]: event.status ?? 0,
      });
    },
  };
}

/**
 * Hooks that call each of `hooks` in turn, so tracing can sit beside an app's own hooks. One that
 * throws does not keep the others from running.
 *
 * Errors: none.
 *
 * @example
 * ```ts
 * const hooks = combineHooks(createTracingHooks(), { onRetry: (e) => log.warn(e, 'retrying') });
 * const piApp = pi({ apiKey, hooks });
 * ```
 */
export function combineHooks(...hooks: HttpHooks[]): HttpHooks {
  const each =
    (name: keyof HttpHooks) =>
    (event: HttpEvent): void => {
      for (const set of hooks) {
        try {
          set[name]?.(event);
        } catch {
          // One observer's failure must not silence the others, nor break the request.
        }
      }
    };
  return {
    onRequest: each('onRequest'),
    onResponse: each('onResponse'),
    onRetry: each('onRetry'),
    onError: each('onError'),
  };
}
