/**
 * Ratios for benchmarks: CPU time per call of a subject against a baseline, measured in interleaved
 * rounds (so that load on a shared machine hits both alike) and compared by medians. Printed as
 * `RATIO name=… value=… target>=…` lines; speed targets live in benchmarks only, never in tests.
 */

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

async function timePerCall(fn: () => unknown, iterations: number): Promise<number> {
  const start = cpuMicros();
  for (let i = 0; i < iterations; i++) await fn();
  return (cpuMicros() - start) / iterations;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Options of {@link measureRatio}. */
export interface RatioOptions {
  rounds?: number;
  iterations?: number;
}

/**
 * Measures `baseline` CPU per call / `subject` CPU per call (1 = as cheap as the baseline, above 1 =
 * cheaper), prints the RATIO line with the target, and returns the ratio.
 */
export async function measureRatio(
  name: string,
  subject: () => unknown,
  baseline: () => unknown,
  target: number,
  options: RatioOptions = {},
): Promise<number> {
  const { rounds = 15, iterations = 200 } = options;
  // Warm both up (JIT, key caches, backend detection) before measuring.
  await timePerCall(subject, iterations);
  await timePerCall(baseline, iterations);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ours.push(await timePerCall(subject, iterations));
    theirs.push(await timePerCall(baseline, iterations));
  }
  const value = median(theirs) / median(ours);
  console.log(
    `RATIO name=${name} value=${value.toFixed(3)} target>=${target} (subject ${median(ours).toFixed(1)} µs, baseline ${median(theirs).toFixed(1)} µs CPU per call, ${rounds}x${iterations} interleaved)`,
  );
  return value;
}
