#!/usr/bin/env node
// Makes sure Debian's chromium is installed for the browser tests. Playwright's own browser download is not
// used: the project's machines reach the npm registry and the Debian archive, nothing else.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The browser tests launch this exact binary.
const CHROMIUM_PATH = '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(
      `ensure-chromium: '${command} ${args.join(' ')}' failed (exit ${result.status ?? result.signal}).`,
    );
    process.exit(1);
  }
}

if (existsSync(CHROMIUM_PATH)) {
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.error(
    `ensure-chromium: no browser at ${CHROMIUM_PATH}.\n` +
      (hasApt
        ? 'Install it as root: apt-get update && apt-get install -y chromium\n'
        : 'This machine has no apt-get: install Chromium with your package manager so that it is at that path.'),
  );
  process.exit(1);
}
console.log('ensure-chromium: installing Debian chromium with apt-get');
run('apt-get', ['update']);
run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
if (!existsSync(CHROMIUM_PATH)) {
  console.error(`ensure-chromium: apt-get finished but ${CHROMIUM_PATH} is still missing.`);
  process.exit(1);
}
