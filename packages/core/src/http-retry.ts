/**
 * When a failed attempt is tried again, and after how long: the retry policy applied to one failure.
 */
import type { HttpMethod, ResolvedRetryOptions } from './http-options.js';

/** Parses a `Retry-After` header (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** What the retry decision needs to know about a failed attempt. */
export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfter: string | null }
  | { kind: 'timeout' }
  | { kind: 'network' };

/** Statuses whose `Retry-After` is waited out (capped at `maxRetryAfter`) instead of the backoff. */
const RETRY_AFTER_STATUSES = [413, 429, 503];

/**
 * The wait in ms before retry number `retry` (1 for the first), or `undefined` when the failure is
 * final: the limit is reached, the method is not retried, the status is not a retry status, or a
 * `retryAfterOnly` status came without a `Retry-After` the policy can honour.
 */
export function retryDelay(
  policy: ResolvedRetryOptions,
  method: HttpMethod,
  retry: number,
  failure: AttemptFailure,
): number | undefined {
  if (retry > policy.limit || !policy.methods.includes(method)) return undefined;
  if (failure.kind === 'timeout') return policy.retryOnTimeout ? backoff(policy, retry) : undefined;
  if (failure.kind === 'network') return backoff(policy, retry);
  const { status } = failure;
  if (!policy.statusCodes.includes(status)) return undefined;
  const seconds = parseRetryAfter(failure.retryAfter);
  if (policy.retryAfterOnly.includes(status)) {
    if (seconds === undefined || seconds * 1000 > policy.maxRetryAfter) return undefined;
    // A Retry-After of 0 leaves the pace to the policy's own backoff.
    if (seconds === 0) return backoff(policy, retry);
  }
  if (
    seconds !== undefined &&
    (RETRY_AFTER_STATUSES.includes(status) || policy.retryAfterOnly.includes(status))
  ) {
    // The server named its time: no jitter, only the cap.
    return Math.min(seconds * 1000, policy.maxRetryAfter);
  }
  return backoff(policy, retry);
}

function backoff(policy: ResolvedRetryOptions, retry: number): number {
  const computed = policy.delay ? policy.delay(retry) : policy.baseDelay * 2 ** (retry - 1);
  const waited = policy.jitter ? Math.random() * computed : computed;
  return Math.min(policy.backoffLimit, Number.isFinite(waited) && waited > 0 ? waited : 0);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
