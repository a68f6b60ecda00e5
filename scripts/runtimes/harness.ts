/**
 * The runtime matrix's test harness: plain assertions with no dependency and no runtime API beyond
 * what every JavaScript runtime has, so one bundle runs on Node, Deno, Bun, workerd and edge-runtime.
 * Suites under `packages/<name>/test/runtime/*.ts` import it as `authbridge-runtime-test`.
 */

type TestFn = () => void | Promise<void>;
interface Registered {
  name: string;
  fn: TestFn;
}

const REGISTRY = Symbol.for('authbridge.runtime-tests');
const slots = globalThis as Record<symbol, Registered[] | undefined>;
if (!slots[REGISTRY]) slots[REGISTRY] = [];
const registry = slots[REGISTRY];

/** Registers a test; `run()` runs them all in registration order. */
export function test(name: string, fn: TestFn): void {
  registry.push({ name, fn });
}

/** Throws unless `condition` holds. */
export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const show = (value: unknown) => {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
};

/** Throws unless `actual` and `expected` are equal by value (JSON, so objects and arrays compare deeply). */
export function equal(actual: unknown, expected: unknown, what = 'value'): void {
  const same = Object.is(actual, expected) || show(actual) === show(expected);
  if (!same) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Runs `fn` (sync or async) and returns what it threw; fails when it throws nothing. */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}

/** Runs `fn` and checks that it throws an error with `code` (an `AuthBridgeError` code). */
export async function rejectsWithCode(fn: () => unknown, code: string): Promise<void> {
  const error = await thrown(fn);
  const got = (error as { code?: unknown } | null)?.code;
  if (got !== code) throw new Error(`expected code ${code}, got ${show(got)}: ${String(error)}`);
}

/** What `run` reports. */
export interface RunSummary {
  passed: number;
  failed: number;
  failures: string[];
}

/** Runs every registered test, one after the other; never throws. */
export async function run(): Promise<RunSummary> {
  const summary: RunSummary = { passed: 0, failed: 0, failures: [] };
  for (const { name, fn } of registry) {
    try {
      await fn();
      summary.passed += 1;
    } catch (error) {
      summary.failed += 1;
      summary.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return summary;
}
