#!/usr/bin/env node
// Makes sure Debian's chromium is installed for the browser tests. Playwright's own browser download is not
// used: the project's machines reach the npm registry and the Debian archive, nothing else.
import { existsSync } from 'node:fs';
import { aptInstall, aptRunner, which } from './apt-install.mjs';

// The browser tests launch this exact binary.
const CHROMIUM_PATH = '/usr/bin/chromium';

if (existsSync(CHROMIUM_PATH)) process.exit(0);

const runner = aptRunner();
if (!runner) {
  console.error(
    `ensure-chromium: no browser at ${CHROMIUM_PATH}, and this process may not install one.\n` +
      (which('apt-get')
        ? 'Install it (as root, or with sudo): apt-get update && apt-get install -y chromium\n'
        : 'This machine has no apt-get: install Chromium with your package manager so that it is at that path.'),
  );
  process.exit(1);
}
console.error(`ensure-chromium: installing Debian chromium with ${[...runner, 'apt-get'].join(' ')}`);
if (!aptInstall(runner, ['chromium']) || !existsSync(CHROMIUM_PATH)) {
  console.error(`ensure-chromium: the install failed or left no browser at ${CHROMIUM_PATH}.`);
  process.exit(1);
}
