import { type Context, createContextKey } from '@opentelemetry/api';

/** The attempts an operation's provider calls made so far, kept in the operation's context. */
export interface AttemptCounter {
  attempts: number;
}

const ATTEMPT_COUNTER = createContextKey('authbridge.attempt-counter');

/** `parent` with a fresh counter, for an operation that starts. */
export function withAttemptCounter(parent: Context): { context: Context; counter: AttemptCounter } {
  const counter: AttemptCounter = { attempts: 0 };
  return { context: parent.setValue(ATTEMPT_COUNTER, counter), counter };
}

/** Counts one attempt for the operation `active` belongs to, if any. */
export function countAttempt(active: Context): void {
  const counter = active.getValue(ATTEMPT_COUNTER) as AttemptCounter | undefined;
  if (counter) counter.attempts += 1;
}
