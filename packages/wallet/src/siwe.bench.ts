/**
 * SIWE parse + verify (EOA) against siwe 3 and viem's `verifySiweMessage` (`npx vitest bench --run` in
 * this package, or `pnpm bench`). Each side gets the same message, signature, domain, nonce and time.
 * viem's needs a client: its transport fails at once (no retry), so viem falls back to local
 * recovery as it does for an EOA when the node says no.
 */

import { cpuPerOp, reportRatio } from '@authbridge/test-utils';
import { SiweMessage } from 'siwe';
import { createPublicClient, custom } from 'viem';
import { verifySiweMessage as viemVerifySiweMessage } from 'viem/siwe';
import { bench, describe } from 'vitest';
import { evmKey, personalSign } from '../test/keys.js';
import { createSiweMessage, verifySiweMessage } from './index.js';

const key = evmKey();
const now = Date.now();
const message = createSiweMessage({
  domain: 'app.example',
  address: key.address,
  statement: 'Sign in to App',
  uri: 'https://app.example',
  version: '1',
  chainId: 1,
  nonce: '0123456789abcdef0123456789abcdef',
  issuedAt: new Date(now).toISOString(),
  expirationTime: new Date(now + 3_600_000).toISOString(),
});
const signature = personalSign(message, key.privateKey);
const expected = { domain: 'app.example', nonce: '0123456789abcdef0123456789abcdef' };
const client = createPublicClient({
  transport: custom(
    {
      request: async () => {
        throw new Error('no node');
      },
    },
    { retryCount: 0 },
  ),
});

const ours = async () => {
  await verifySiweMessage({ message, signature, ...expected, uri: 'https://app.example', chainId: 1 });
};
const spruce = async () => {
  const result = await new SiweMessage(message).verify({
    signature,
    ...expected,
    time: new Date().toISOString(),
  });
  if (!result.success) throw new Error('siwe refused');
};
const viem = async () => {
  const ok = await viemVerifySiweMessage(client, {
    message,
    signature: signature as `0x${string}`,
    ...expected,
  });
  if (!ok) throw new Error('viem refused');
};

const cost = await cpuPerOp({ ours, spruce, viem }, { opsPerRound: 40 });
const us = (n: number) => `${n.toFixed(0)} µs`;
reportRatio(
  'wallet.verifySiweMessage/siwe3',
  cost.spruce / cost.ours,
  { min: 1 },
  `speed relative to siwe 3: ${us(cost.ours)} vs ${us(cost.spruce)} CPU per parse + verify`,
);
reportRatio(
  'wallet.verifySiweMessage/viem',
  cost.viem / cost.ours,
  { min: 1 },
  `speed relative to viem verifySiweMessage: ${us(cost.ours)} vs ${us(cost.viem)}`,
);

const options = { time: 2000, warmupTime: 300 };
describe('SIWE parse + verify, EOA', () => {
  bench('@authbridge/wallet verifySiweMessage', ours, options);
  bench('siwe 3 new SiweMessage(text).verify', spruce, options);
  bench('viem verifySiweMessage', viem, options);
});
