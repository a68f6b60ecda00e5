#!/usr/bin/env node
// Finds (or installs) redis-server and starts throwaway instances on loopback for the tests and
// benchmarks of @authbridge/redis. Never relies on a system Redis service: every instance is ours,
// on a free port, without persistence, and is stopped when the run ends.
//
// The install happens in the tests' global setup (test/global-setup.ts of @authbridge/redis), when the
// first test run on a machine finds no redis-server. As a command (`node scripts/redis/redis-server.mjs`)
// it only does that install step and prints the binary's path, for preparing a machine by hand.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aptInstall, aptRunner, which } from '../apt-install.mjs';

const INSTALL_HINT = [
  'redis-server was not found on PATH, and it could not be installed automatically.',
  'Install it, then run the tests again:',
  '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y redis-server',
  '  macOS:         brew install redis',
  '  other:         https://redis.io/docs/latest/operate/oss_and_stack/install/',
  'Or put the directory of a redis-server binary on PATH.',
].join('\n');

/**
 * The path of a redis-server binary: the one on PATH (or in /usr/sbin), else one installed
 * with apt-get when this process may do so (root, or password-less sudo). Throws with install
 * instructions otherwise.
 */
export function ensureRedisServer() {
  const found = which('redis-server');
  if (found) return found;
  const runner = aptRunner();
  if (runner) {
    process.stderr.write('redis-server is missing; installing the Debian package redis-server...\n');
    const after = aptInstall(runner, ['redis-server']) ? which('redis-server') : undefined;
    if (after) return after;
  }
  throw new Error(INSTALL_HINT);
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `PING` on `port` answers `+PONG` (or `-NOAUTH`, which also means it is serving). */
function waitUntilServing(port, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(
          new Error(`redis-server exited with code ${child.exitCode} before it served on port ${port}.`),
        );
        return;
      }
      if (Date.now() > deadline) {
        reject(new Error(`redis-server did not answer on 127.0.0.1:${port} within ${deadlineMs} ms.`));
        return;
      }
      const socket = createConnection({ host: '127.0.0.1', port });
      const retry = () => {
        socket.destroy();
        setTimeout(attempt, 50);
      };
      socket.once('error', retry);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        const reply = data.toString();
        if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) resolve();
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 on a free port, with no persistence and its working
 * directory in a fresh temporary directory. `extraArgs` are passed on; `port` picks the port (to
 * bring a stopped server back where its clients expect it).
 * Resolves to its URL, port and a `stop()` that kills it and removes the directory.
 */
export async function startRedisServer({
  binary = ensureRedisServer(),
  extraArgs = [],
  password,
  port: wanted,
} = {}) {
  const port = wanted ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'authbridge-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...(password ? ['--requirepass', password] : []),
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(port, child, 10_000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${stderr}`.trim());
  }
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  return { url: `redis://${auth}127.0.0.1:${port}`, port, pid: child.pid, stop };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureRedisServer());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
