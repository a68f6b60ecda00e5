#!/usr/bin/env node
// Finds (or installs) PostgreSQL and starts throwaway servers on loopback for the tests and benchmarks
// of @authbridge/postgres. Never uses a system PostgreSQL service: every server is ours, in a fresh
// temporary data directory (initdb), on a free port, and is stopped and deleted when the run ends.
//
// PostgreSQL refuses to run as root. Run as root (CI does), the data directory is given to the
// `postgres` system user that the Debian package creates, and initdb and postgres are spawned with
// that user's uid and gid (so the child is postgres itself, which the stop signal reaches). As
// another user they run as that user.
//
// As a command (`node scripts/postgres/postgres-server.mjs`) it only does the install step and prints
// the directory of the binaries, for preparing a machine by hand.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aptInstall, aptRunner, which } from '../apt-install.mjs';
import { freePort } from '../redis/redis-server.mjs';

const INSTALL_HINT = [
  'PostgreSQL (initdb and postgres) was not found, and it could not be installed automatically.',
  'Install it, then run the tests again:',
  '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y postgresql',
  '  macOS:         brew install postgresql',
  'Or put the directory of the initdb and postgres binaries on PATH.',
].join('\n');

/** The user every throwaway server is created with. */
export const POSTGRES_USER = 'authbridge';

/** The bin directory of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout), if any. */
function debianBinDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  }
  return undefined;
}

function findBinDir() {
  const initdb = which('initdb');
  if (initdb && which('postgres')) return initdb.slice(0, -'/initdb'.length);
  return debianBinDir();
}

/**
 * The directory holding `initdb` and `postgres`: from PATH, else Debian's /usr/lib/postgresql/<v>/bin,
 * else installed with apt-get (the `postgresql` package) when this process may do so (root, or
 * password-less sudo). Throws with install instructions otherwise.
 */
export function ensurePostgres() {
  const found = findBinDir();
  if (found) return found;
  const runner = aptRunner();
  if (runner) {
    process.stderr.write('PostgreSQL is missing; installing the Debian package postgresql...\n');
    // Debian's package would create (and start) a system cluster on port 5432, which the tests never
    // use. postgresql-common, installed first, reads whether to create it from createcluster.conf.
    const [bin, ...args] = [
      ...runner,
      'sh',
      '-c',
      "echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf",
    ];
    if (aptInstall(runner, ['postgresql-common'])) spawnSync(bin, args, { stdio: 'inherit' });
    const after = aptInstall(runner, ['postgresql']) ? findBinDir() : undefined;
    if (after) return after;
  }
  throw new Error(INSTALL_HINT);
}

/** Whose uid and gid PostgreSQL runs with: `postgres` when this process is root, else this user's. */
function runAs() {
  if (process.getuid?.() !== 0) return { owner: undefined };
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  if (uid.status !== 0) {
    throw new Error(
      'PostgreSQL refuses to run as root, and there is no `postgres` system user to run it as. ' +
        'Install the Debian package postgresql (it creates the user), or run the tests as another user.',
    );
  }
  return { owner: { uid: Number(uid.stdout.trim()), gid: Number(id('-g').stdout.trim()) } };
}

/** spawn options that run the child as `as.owner`, with a HOME it may read. */
function spawnOptions(as) {
  return as.owner
    ? { uid: as.owner.uid, gid: as.owner.gid, cwd: tmpdir(), env: { ...process.env, HOME: tmpdir() } }
    : {};
}

/** Resolves once the server logs that it accepts connections; rejects if it exits first or is late. */
function waitUntilReady(child, output, deadlineMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`postgres did not start within ${deadlineMs} ms.`)),
      deadlineMs,
    );
    const onData = () => {
      if (output().includes('ready to accept connections')) finish();
    };
    const onExit = (code, signal) =>
      finish(new Error(`postgres exited (${code ?? signal}) before it accepted connections.`));
    const finish = (error) => {
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stderr.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

/**
 * Creates a data directory (initdb) for user {@link POSTGRES_USER} with `password`: password
 * (scram-sha-256) over TCP, trust only on the private Unix socket. Returns its paths.
 */
function initDataDir(binDir, as, password) {
  const dir = mkdtempSync(join(tmpdir(), 'authbridge-postgres-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (as.owner) {
    chownSync(dir, as.owner.uid, as.owner.gid);
    chownSync(pwfile, as.owner.uid, as.owner.gid);
  }
  chmodSync(dir, 0o700);
  const result = spawnSync(
    join(binDir, 'initdb'),
    [
      '-D',
      data,
      '-U',
      POSTGRES_USER,
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ],
    { ...spawnOptions(as), encoding: 'utf8' },
  );
  rmSync(pwfile, { force: true });
  if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${result.status ?? result.signal}):\n${result.stderr}`);
  }
  return { dir, data };
}

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1: a fresh data directory (or `dataDir` of a
 * stopped one, to bring it back with its rows), a free port (or `port`), no durability (fsync off:
 * the data is thrown away anyway), and its socket in the data directory. The password authenticates
 * user {@link POSTGRES_USER} over TCP.
 * Resolves to its url, port, data directory, `stop()` (immediate shutdown, keeps the directory) and
 * `destroy()` (stops it and deletes the directory).
 */
export async function startPostgresServer({
  binDir = ensurePostgres(),
  password = 'authbridge-test-password',
  port: wanted,
  dataDir,
} = {}) {
  const as = runAs();
  const { dir, data } = dataDir ? { dir: undefined, data: dataDir } : initDataDir(binDir, as, password);
  const port = wanted ?? (await freePort());
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    data,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ];
  const child = spawn(join(binDir, 'postgres'), args, {
    ...spawnOptions(as),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGQUIT is PostgreSQL's immediate shutdown: the server and every backend go at once, as in a
      // crash.
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const destroy = async () => {
    await stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, () => stderr, 30_000);
  } catch (error) {
    await destroy();
    throw new Error(`${error.message}\n${stderr}`.trim());
  }
  return {
    url: `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    password,
    dataDir: data,
    stop,
    destroy,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensurePostgres());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
