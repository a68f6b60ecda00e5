import { isAuthBridgeError } from '@authbridge/core';
import { type Span, SpanStatusCode, type TracerProvider, trace } from '@opentelemetry/api';
import { VERSION } from './version.js';

/**
 * The attribute names the spans carry. Only these are ever set, each from a value the SDK itself
 * chose (a provider id, an operation name, an error code, a number): no URL, header, body, credential,
 * subject, address or error message, so a span holds nothing an app must keep secret.
 */
export const ATTRIBUTES = {
  /** The provider id (`magic`, `pi`, ...). */
  provider: 'authbridge.provider',
  /** `verify`, `createChallenge`, `logout`, or `http` for one attempt of a provider call. */
  operation: 'authbridge.operation',
  /** `success` or `error`; for an attempt also `retry` (it failed and another follows). */
  outcome: 'authbridge.outcome',
  /** The `AuthBridgeError` code the operation or attempt failed with. */
  errorCode: 'authbridge.error.code',
  /** The attempt number of a provider call, 1 for the first. */
  attempt: 'authbridge.attempt',
  /** On an operation: how many provider-call attempts it made (0 when it checked locally). */
  attempts: 'authbridge.http.attempts',
  /** How long the operation or attempt took, in ms. */
  durationMs: 'authbridge.duration_ms',
  /** On an attempt that is retried: the wait before the next attempt, in ms. */
  retryDelayMs: 'authbridge.retry.delay_ms',
  /** OpenTelemetry's semantic conventions, for backends that chart HTTP clients. */
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
  httpResendCount: 'http.request.resend_count',
  errorType: 'error.type',
} as const;

/** The operations {@link instrument} traces. */
export type TracedOperation = 'verify' | 'createChallenge' | 'logout';

/** Options every tracing function takes. */
export interface TracingOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`, the Node SDK). */
  tracerProvider?: TracerProvider;
}

/** The instrumentation scope every span is recorded under. */
export const INSTRUMENTATION_NAME = '@authbridge/otel';

export function tracerOf(options: TracingOptions = {}) {
  return (options.tracerProvider ?? trace).getTracer(INSTRUMENTATION_NAME, VERSION);
}

/** The code an operation failed with: the error's stable code, never its message. */
export function errorCodeOf(error: unknown): string {
  return isAuthBridgeError(error) ? error.code : '_OTHER';
}

/** Marks `span` as failed with `code`, the only text about the error a span carries. */
export function markFailed(span: Span, code: string): void {
  span.setAttribute(ATTRIBUTES.errorCode, code);
  span.setAttribute(ATTRIBUTES.errorType, code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}
