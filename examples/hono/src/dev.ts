// `pnpm dev`: the Pi and Magic emulators, and the example pointed at them.
import { startEmulator } from '@authbridge/emulator';
import { serve } from '@hono/node-server';
import { emulatorApp } from './emulator-app.js';

const emulator = await startEmulator({ providers: ['pi', 'magic'] });
const app = emulatorApp(emulator, 'http://127.0.0.1:3000');
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000) }, (info) => {
  console.log(`Emulators on ${emulator.url}; Hono example on http://127.0.0.1:${info.port}`);
  console.log(`Mint a Pi token: curl -X POST ${emulator.urls.pi}/_emulator/tokens -d '{"username":"alice"}'`);
});
