import { runStoreConformance } from '@authbridge/test-utils';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../../../scripts/redis/redis-server.mjs';
import { createRedisStore, type RedisStore, redisKey } from './index.js';

// A one-node Redis Cluster: all 16384 slots on one cluster-mode server. It enforces the Cluster rules
// a plain server does not (keys of one script must share a slot, commands are routed by slot), and
// ioredis's Cluster client drives it exactly as it would a many-node cluster.
let server: RedisServerHandle;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer({
    // Without an announced address the node reports its host as "" and the client cannot route.
    extraArgs: [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-announce-ip',
      '127.0.0.1',
    ],
  });
  admin = new Redis(server.url);
  await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  const deadline = Date.now() + 10_000;
  while (!String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) {
    if (Date.now() > deadline)
      throw new Error('The one-node cluster did not reach cluster_state:ok in 10 s.');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await admin?.quit();
  await server?.stop();
});

const clusters: Cluster[] = [];
runStoreConformance('redis (Cluster client)', {
  create: () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: server.port }]);
    clusters.push(cluster);
    return createRedisStore({ client: cluster, prefix: 'cl:' });
  },
  dispose: async (store) => {
    await (store as RedisStore).close();
    await Promise.all(clusters.map((cluster) => cluster.quit()));
  },
});

describe('keys under Cluster hashing', () => {
  const slot = async (key: string) => Number(await admin.call('CLUSTER', 'KEYSLOT', key));

  it('puts a logical key on the same slot whatever the prefix', async () => {
    const key = 'app:nonce:3f9a';
    const slots = await Promise.all(
      ['authbridge:', 'shop:', ''].map((prefix) => slot(redisKey(prefix, key))),
    );
    expect(new Set(slots).size).toBe(1);
    expect(slots[0]).toBe(await slot(key));
  });

  it('hashes the whole logical key even when it contains braces', async () => {
    // Unencoded, both keys would hash only "a" and share a slot; encoded, each hashes as a whole.
    expect(await slot('p:nonce:{a}')).toBe(await slot('p:replay:{a}'));
    expect(await slot(redisKey('p:', 'nonce:{a}'))).toBe(await slot('nonce:%7Ba%7D'));
    expect(await slot(redisKey('p:', 'nonce:{a}'))).not.toBe(await slot(redisKey('p:', 'replay:{a}')));
  });
});
