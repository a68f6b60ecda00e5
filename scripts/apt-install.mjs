// Installs Debian packages with apt-get for the project's own scripts (Chromium for the browser tests,
// redis-server for the Redis tests). turbo runs two packages' tests at once, so two installs can meet on
// a fresh machine: apt-get is told to wait for the dpkg lock instead of failing on it.
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

/** How long apt-get waits for another apt-get or dpkg to release its lock, in seconds. */
const LOCK_TIMEOUT_SECONDS = 300;
// apt-get before 1.9.11 ignores the lock timeout, and `update` may fail on the lists lock: retry.
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 10_000;

/** The first executable `name` on PATH (or in the sbin directories Debian uses), or undefined. */
export function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, name);
    if (spawnSync('test', ['-x', candidate]).status === 0) return candidate;
  }
  return undefined;
}

/**
 * How to run apt-get with root rights here: `[]` as root, `['sudo', '-n']` with password-less sudo, or
 * undefined when this machine has no apt-get or this process may not use it.
 */
export function aptRunner() {
  if (process.platform !== 'linux' || !which('apt-get')) return undefined;
  if (process.getuid?.() === 0) return [];
  if (which('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0)
    return ['sudo', '-n'];
  return undefined;
}

/** Blocks the (synchronous) script for `ms`. */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs one apt-get command; a few attempts, because a lock held past the timeout is not an error of ours. */
function aptGet(runner, args) {
  // sudo drops the environment unless told which variables to keep, so the variable is set through env.
  const [bin, ...rest] = [
    ...runner,
    ...(runner.length > 0 ? ['env', 'DEBIAN_FRONTEND=noninteractive'] : []),
    'apt-get',
    '-o',
    `DPkg::Lock::Timeout=${LOCK_TIMEOUT_SECONDS}`,
    ...args,
  ];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const result = spawnSync(bin, rest, {
      stdio: ['ignore', process.stderr, 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status === 0) return true;
    process.stderr.write(
      `'${[bin, ...rest].join(' ')}' failed (exit ${result.status ?? result.signal}), attempt ${attempt} of ${ATTEMPTS}.\n`,
    );
    if (attempt < ATTEMPTS) sleep(RETRY_DELAY_MS);
  }
  return false;
}

/**
 * `apt-get update`, then `apt-get install -y --no-install-recommends <packages>`, waiting for the dpkg
 * and package-list locks. Returns whether both succeeded. apt-get's output goes to stderr, so a caller's
 * stdout stays clean. `runner` comes from {@link aptRunner}.
 */
export function aptInstall(runner, packages) {
  return (
    aptGet(runner, ['update']) && aptGet(runner, ['install', '-y', '--no-install-recommends', ...packages])
  );
}
