import { startEmulator } from '@authbridge/emulator';
import * as v from 'valibot';
import { afterAll, bench, describe } from 'vitest';
import { createHttpClient } from './http.js';

// One emulator for the whole file; both sides hit the same route over real loopback sockets.
const emulator = await startEmulator({ providers: ['echo'] });
const base = emulator.urls.echo!;
const Echo = v.object({ method: v.string(), path: v.string(), query: v.record(v.string(), v.string()) });
const http = createHttpClient({ provider: 'echo', defaultBaseUrl: base });

afterAll(async () => {
  await emulator.close();
});

describe('HTTP layer overhead: GET /echo/anything/me, parsed', () => {
  bench(
    'bare fetch + JSON.parse',
    async () => {
      const response = await fetch(`${base}/anything/me?scope=username`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(String(response.status));
      await response.json();
    },
    { time: 3000, warmupTime: 500 },
  );

  bench(
    'createHttpClient().request (ky, timeout, retry policy, schema, redaction)',
    async () => {
      await http.request({
        method: 'GET',
        path: 'anything/me',
        searchParams: { scope: 'username' },
        schema: Echo,
      });
    },
    { time: 3000, warmupTime: 500 },
  );
});
