#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { providerModules } from './providers.js';
import { startEmulator } from './server.js';
import type { ProviderId } from './types.js';

const usage = `Usage: authbridge-emulator [--port 4010] [--host 127.0.0.1] [--providers magic,picket,pi,toopher]

Serves local emulators of the provider APIs under http://HOST:PORT/<provider>.
Available providers: ${Object.keys(providerModules).join(', ')}.`;

async function main(): Promise<void> {
  // `pnpm emulator -- --port 4010` passes the `--` on; read the options after it.
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      providers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, got '${values.port}'.\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const providers = values.providers?.split(',').map((p) => p.trim()) as ProviderId[] | undefined;
  const emulator = await startEmulator({ port, host: values.host, providers });
  console.log(`authbridge emulator listening on ${emulator.url}`);
  for (const [id, url] of Object.entries(emulator.urls)) console.log(`  ${id.padEnd(8)} ${url}`);
  const stop = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
