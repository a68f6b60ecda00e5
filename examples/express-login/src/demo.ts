// `pnpm demo`: the emulators and the example in one process, a scripted login with each provider through
// the HTTP API, a table of the results, then the server stays up for the page (`--once` exits instead).

import { startDemoServer } from './demo-server.js';
import { DEMO_PROVIDERS } from './dev-tools.js';
import { formatTable, runScriptedLogins } from './scripted-login.js';

const once = process.argv.includes('--once');
// The scripted failures below are expected; their log lines would only bury the table.
let quiet = true;
const port = once ? 0 : Number(process.env.PORT ?? 3000);
const demo = await startDemoServer({
  port,
  log: (line) => {
    if (!quiet) console.error(line);
  },
});
const { emulator, server, providers } = demo;
if (demo.movedPort) console.error(`Port ${port} is taken; using a free port instead.`);

console.log(`Emulators: ${emulator.url} (${Object.keys(emulator.urls).join(', ')})`);
console.log(`Example:   ${server.url}\n`);
const { logins, failures, ok } = await runScriptedLogins(
  server.url,
  providers.map((p) => p.id),
);
console.log(`Scripted logins\n${formatTable(logins)}\n`);
console.log(`Deliberate failures (a spoiled credential must be refused)\n${formatTable(failures)}\n`);
const missing = DEMO_PROVIDERS.filter((id) => !providers.some((p) => p.id === id));
if (missing.length > 0)
  console.log(`Not in this build: ${missing.join(', ')} (no emulator or no package yet).\n`);
quiet = false;

if (once) {
  await demo.close();
  console.log(ok ? 'All logins behaved as expected.' : 'Some logins did not behave as expected.');
  process.exit(ok ? 0 : 1);
}
console.log(`Open ${server.url} to sign in with each provider. Ctrl+C stops the server and the emulators.`);
const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
