/**
 * What an admin API call costs the app's CPU: `users.getMetadataByIssuer` of ours against
 * @magic-sdk/admin's (node-fetch), against one minimal loopback server in its own process (so only
 * the client's work counts), in interleaved rounds, medians. Prints the ratio beside its target.
 */

import { cpuPerOp, micros, reportRatio, startLoopbackServer } from '@authbridge/test-utils';
import { Magic } from '@magic-sdk/admin';
import ky from 'ky';
import { afterAll, bench, describe } from 'vitest';
import { createMagicAdmin } from './admin.js';

const ISSUER = 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089';
const USER = {
  issuer: ISSUER,
  public_address: '0xB2ec9b61699762491b6542278E9dFEC9050f8089',
  email: 'alice@example.com',
  oauth_provider: null,
  phone_number: null,
  username: null,
  wallets: [],
};
// The bare body of today's API, which both clients read (2.8.2 hands it back as it came).
const server = await startLoopbackServer({ '/v1/admin/user': USER });
afterAll(() => server.close());

const official = new Magic('sk_test_bench', { clientId: 'bench-client', endpoint: server.url });
const ours = createMagicAdmin({ secretKey: 'sk_test_bench', clientId: 'bench-client', baseUrl: server.url });

const calls = {
  ours: async () => {
    const user = await ours.users.getMetadataByIssuer(ISSUER);
    if (user.issuer !== ISSUER) throw new Error('ours must read the user');
  },
  // The transport under ours, alone, sending what ours sends: the floor under the ratio.
  ky: async () => {
    const user = await ky
      .get(`${server.url}/v1/admin/user`, {
        searchParams: { issuer: ISSUER, wallet_type: 'NONE' },
        headers: { 'x-magic-secret-key': 'sk_test_bench' },
      })
      .json<typeof USER>();
    if (user.issuer !== ISSUER) throw new Error('ky must read the user');
  },
  official: async () => {
    const user = await official.users.getMetadataByIssuer(ISSUER);
    if (user.issuer !== ISSUER) throw new Error('@magic-sdk/admin must read the user');
  },
};
for (const run of Object.values(calls)) await run();

const cost = await cpuPerOp(calls, { rounds: 15, opsPerRound: 200 });
reportRatio(
  'magic.getMetadataByIssuer/@magic-sdk/admin',
  cost.ours / cost.official,
  { max: 1.4 },
  `${micros(cost.ours)} vs ${micros(cost.official)} CPU per call; the floor, ky alone (the transport): ${(cost.ky / cost.official).toFixed(2)}x @magic-sdk/admin`,
);

describe('users.getMetadataByIssuer against a loopback server (wall time)', () => {
  const options = { time: 1000, warmupTime: 200 };
  bench('@magic-sdk/admin', calls.official, options);
  bench('@authbridge/magic', calls.ours, options);
});
