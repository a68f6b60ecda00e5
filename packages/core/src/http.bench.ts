/**
 * What the HTTP layer costs over its transport: CPU per request of bare fetch, ky alone and
 * `createHttpClient().request` (timeout, retry policy, size cap, schema, redaction on failure), in
 * interleaved rounds against one minimal loopback server running in its own process, so only the
 * client's work is counted. Prints the two ratios beside their targets, and beside the
 * second the ratio of ky alone to bare fetch: the floor under it while ky is the transport.
 */
import { cpuPerOp, micros, reportRatio, startLoopbackServer } from '@authbridge/test-utils';
import ky from 'ky';
import * as v from 'valibot';
import { afterAll, bench, describe } from 'vitest';
import { createHttpClient } from './http.js';

const ME = { uid: 'u-1', username: 'alice', scope: 'username' };
const server = await startLoopbackServer({ '/v2/me': ME });
const url = `${server.url}/v2/me?scope=username`;
const Me = v.object({ uid: v.string(), username: v.string(), scope: v.string() });
const http = createHttpClient({ provider: 'bench', defaultBaseUrl: server.url });

afterAll(() => server.close());

const cases = {
  fetch: async () => {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    await response.json();
  },
  ky: async () => {
    await ky.get(url).json();
  },
  request: async () => {
    await http.request({ method: 'GET', path: 'v2/me', searchParams: { scope: 'username' }, schema: Me });
  },
};
// Every case must get the same answer, or the comparison means nothing.
for (const run of Object.values(cases)) await run();

const cost = await cpuPerOp(cases, { rounds: 15, opsPerRound: 200 });
reportRatio(
  'core.request/ky',
  cost.request / cost.ky,
  { max: 1.1 },
  `${micros(cost.request)} vs ${micros(cost.ky)} CPU per request`,
);
// ky is the transport: what ky alone costs over bare fetch is the floor under this ratio.
reportRatio(
  'core.request/fetch',
  cost.request / cost.fetch,
  { max: 1.5 },
  `${micros(cost.request)} vs ${micros(cost.fetch)} CPU per request; the floor, ky alone: ${(cost.ky / cost.fetch).toFixed(2)}x fetch`,
);

describe('GET /v2/me, parsed (wall time, the same three)', () => {
  const options = { time: 1000, warmupTime: 200 };
  bench('bare fetch + res.json()', cases.fetch, options);
  bench('ky.get(url).json()', cases.ky, options);
  bench('createHttpClient().request', cases.request, options);
});
