// Runs every login in logins/ against the emulators, all from the installed tarballs, and checks
// that an error's docsPath names a file inside the installed @authbridge/core.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthBridgeError } from '@authbridge/core';
import { startEmulator } from '@authbridge/emulator';

const error = new AuthBridgeError('ERR_CONFIG', 'checking the docs path');
const [file = '', anchor = ''] = error.docsPath.split('#');
const docs = join('node_modules', file);
if (!existsSync(docs) || !readFileSync(docs, 'utf8').includes(`\n## ${anchor}\n`)) {
  throw new Error(`docsPath ${error.docsPath} does not resolve inside node_modules`);
}
console.log(`ok docsPath ${error.docsPath}`);

const emulator = await startEmulator();
let failed = 0;
try {
  for (const name of readdirSync(join(import.meta.dirname, 'logins')).filter((f) => f.endsWith('.js'))) {
    const { default: login } = (await import(`./logins/${name}`)) as {
      default: (e: typeof emulator) => Promise<{ provider: string; subject: string }>;
    };
    try {
      const result = await login(emulator);
      console.log(`ok login ${result.provider} ${result.subject}`);
    } catch (caught) {
      failed += 1;
      console.error(`FAIL login ${name}: ${caught instanceof Error ? caught.stack : String(caught)}`);
    }
  }
} finally {
  await emulator.close();
}
if (failed > 0) process.exit(1);
