/**
 * CPU cost comparisons for the `*.bench.ts` files: CPU time per operation (`process.cpuUsage`,
 * every thread of the process) of several cases measured in interleaved rounds, so a burst of load
 * on a shared machine hits every case alike, and reported as medians over the rounds. A ratio is
 * printed as one `RATIO` line beside its target, which `scripts/bench-report.mjs` collects.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Options of {@link cpuPerOp}. */
export interface CpuOptions {
  /** Interleaved rounds; the median of their per-op costs is reported. Default 15. */
  rounds?: number;
  /** Operations per case per round. Default 200. */
  opsPerRound?: number;
  /** Operations per case before the first round (JIT, connection pools). Default `opsPerRound`. */
  warmupOps?: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function runOps(op: () => unknown, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = op();
    if (result instanceof Promise) await result;
  }
}

/**
 * Median CPU µs per operation of each case (all threads of the process: a digest on the thread pool
 * counts). Rounds interleave the cases, each round starting with the next case, so neither order
 * nor drift favours one.
 *
 * @example
 * ```ts
 * const cost = await cpuPerOp({ ours: () => ours(), theirs: () => theirs() });
 * reportRatio('ours/theirs', cost.ours / cost.theirs, { max: 1.1 });
 * ```
 */
export function cpuPerOp<K extends string>(
  cases: Record<K, () => unknown>,
  options: CpuOptions = {},
): Promise<Record<K, number>> {
  return perOp(cases, options, () => {
    const start = process.cpuUsage();
    return () => {
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
  });
}

/**
 * Median wall-clock µs per operation, for what a caller waits for (a cache hit that awaits the
 * thread pool), in the same interleaved rounds as {@link cpuPerOp}.
 *
 * @example
 * ```ts
 * const time = await wallPerOp({ now: () => hit(), before: () => oldHit() });
 * reportRatio('hit speed-up', time.before / time.now, { min: 5 });
 * ```
 */
export function wallPerOp<K extends string>(
  cases: Record<K, () => unknown>,
  options: CpuOptions = {},
): Promise<Record<K, number>> {
  return perOp(cases, options, () => {
    const start = performance.now();
    return () => (performance.now() - start) * 1000;
  });
}

async function perOp<K extends string>(
  cases: Record<K, () => unknown>,
  options: CpuOptions,
  startClock: () => () => number,
): Promise<Record<K, number>> {
  const rounds = options.rounds ?? 15;
  const ops = options.opsPerRound ?? 200;
  const names = Object.keys(cases) as K[];
  for (const name of names) await runOps(cases[name], options.warmupOps ?? ops);
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as K;
      const elapsed = startClock();
      await runOps(cases[name], ops);
      samples[name].push(elapsed() / ops);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<K, number>;
}

/** A ratio's target: at most `max`, or at least `min`. */
export type RatioTarget = { max: number } | { min: number };

/**
 * Prints `RATIO name=… value=1.07x target<=1.1x met=yes` and what it was computed from, and returns
 * whether the target was met. Missing a target does not fail the run: the figure is the report.
 *
 * @example
 * ```ts
 * reportRatio('core.request/ky', 1.07, { max: 1.1 }, '512 µs vs 478 µs CPU per request');
 * ```
 */
export function reportRatio(name: string, value: number, target: RatioTarget, detail = ''): boolean {
  const met = 'max' in target ? value <= target.max : value >= target.min;
  const bound = 'max' in target ? `target<=${target.max}x` : `target>=${target.min}x`;
  console.log(
    `RATIO name=${name} value=${value.toFixed(2)}x ${bound} met=${met ? 'yes' : 'no'}${detail ? ` (${detail})` : ''}`,
  );
  return met;
}

/** `12.3 µs`, for the detail of a ratio. */
export const micros = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} µs`;

/** A JSON server in its own process, so its CPU never counts toward the client's. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

const SERVER = `
const routes = JSON.parse(process.argv[1]);
const server = require('node:http').createServer((req, res) => {
  const path = req.url.split('?')[0];
  const body = routes[path];
  req.resume();
  if (body === undefined) { res.writeHead(404, { 'content-type': 'application/json' }).end('{}'); return; }
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/**
 * Starts a minimal loopback server in a child process that answers `GET <path>` (query ignored)
 * with the JSON given for it, and 404 otherwise.
 *
 * @example
 * ```ts
 * const server = await startLoopbackServer({ '/v2/me': { uid: 'u1' } });
 * await fetch(`${server.url}/v2/me`);
 * await server.close();
 * ```
 */
export async function startLoopbackServer(routes: Record<string, unknown>): Promise<LoopbackServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER, JSON.stringify(routes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null) return;
      child.kill();
      await once(child, 'exit');
    },
  };
}
