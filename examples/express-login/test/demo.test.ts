import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type DemoServer, startDemoServer } from '../src/demo-server.js';
import { EMULATOR_NFT_CONTRACT } from '../src/dev-wallet.js';
import { formatTable, runScriptedLogins } from '../src/scripted-login.js';

const PROVIDERS = ['pi', 'magic', 'picket', 'toopher', 'wallet'];
/** The rows of the table: one per provider, one per chain for the self-hosted wallet. */
const LOGINS = ['pi', 'magic', 'picket', 'toopher', 'wallet:ethereum', 'wallet:solana'];
/** The CAIP-2 reference of Solana mainnet: the first 32 characters of its genesis hash. */
const SOLANA_MAINNET = '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp';

let demo: DemoServer;
const logged: string[] = [];

beforeAll(async () => {
  demo = await startDemoServer({ log: (line) => logged.push(line) });
});

afterAll(async () => {
  await demo?.close();
});

afterEach(() => {
  demo.emulator.clearFaults();
});

describe('the scripted login of pnpm demo, against the emulators', () => {
  it('signs in with every provider, refuses every spoiled credential, and tabulates both', async () => {
    expect(demo.providers.map((p) => p.id)).toEqual(PROVIDERS);
    const run = await runScriptedLogins(demo.server.url, PROVIDERS);

    expect(run.logins.map((row) => [row.provider, row.result, row.ok])).toEqual(
      LOGINS.map((id) => [id, 'ok', true]),
    );
    const subjects = Object.fromEntries(run.logins.map((row) => [row.provider, row.subject]));
    expect(subjects.pi).toMatch(/^a1c3e5f7-/);
    expect(subjects.magic).toMatch(/^did:ethr:0x[0-9a-fA-F]{40}$/);
    // Signed by the example's own development wallet, not by one of the emulator's seeded keys.
    expect(subjects.picket).toBe(`ethereum:${demo.wallet.address}`);
    expect(subjects.toopher).toMatch(/^00000001-/);
    // The self-hosted wallet: CAIP-10 accounts of the development wallet's own keys, checked by this server.
    expect(subjects['wallet:ethereum']).toBe(`eip155:1:${demo.wallet.address}`);
    expect(subjects['wallet:solana']).toBe(`solana:${SOLANA_MAINNET}:${demo.wallet.solana.address}`);
    expect(run.failures.map((row) => [row.provider, row.subject, row.ok])).toEqual(
      LOGINS.map((id) => [id, '-', true]),
    );
    expect(run.failures.map((row) => row.result)).toEqual([
      'refused as expected (ERR_CREDENTIAL_REJECTED)',
      'refused as expected (ERR_CREDENTIAL_EXPIRED)',
      'refused as expected (ERR_CREDENTIAL_SIGNATURE)',
      'refused as expected (ERR_CREDENTIAL_REJECTED)',
      'refused as expected (ERR_CREDENTIAL_SIGNATURE)',
      'refused as expected (ERR_CREDENTIAL_SIGNATURE)',
    ]);
    expect(run.ok).toBe(true);

    const table = formatTable(run.logins).split('\n');
    expect(table[0]).toMatch(/^provider +subject +time \(ms\) +result$/);
    expect(table[1]).toMatch(/^-+( +-+){3}$/);
    expect(table).toHaveLength(2 + LOGINS.length);
    for (const [index, row] of run.logins.entries()) {
      expect(table[2 + index]).toMatch(new RegExp(`^${row.provider} +${row.subject} +\\d+ +ok$`));
    }
  });

  it('reports a provider that fails, so that --once exits non-zero', async () => {
    // Pi's server answers every /v2/me with a 500: the Pi login cannot succeed.
    demo.emulator.injectFault({ provider: 'pi', path: '/v2/me', fault: { status: 500 } });
    const run = await runScriptedLogins(demo.server.url, ['pi', 'magic']);

    const [pi, magic] = run.logins;
    expect(pi?.ok).toBe(false);
    expect(pi?.subject).toBe('-');
    expect(pi?.result).toMatch(/^FAILED: ERR_PROVIDER_SERVER /);
    expect(magic?.ok).toBe(true);
    expect(run.ok).toBe(false);
  });

  it('counts a run with no providers as a failure', async () => {
    expect((await runScriptedLogins(demo.server.url, [])).ok).toBe(false);
  });

  it('seeds the emulator with the development wallet: its balances, never its key', () => {
    const picket = demo.emulator.fixtures.picket as {
      tokens: { nft: string };
      wallets: { address: string; privateKey?: string; balances: unknown }[];
    };
    expect(picket.tokens.nft).toBe(EMULATOR_NFT_CONTRACT);
    const seeded = picket.wallets.find((w) => w.address === demo.wallet.address);
    expect(seeded?.balances).toEqual({ contractAddress: { [EMULATOR_NFT_CONTRACT.toLowerCase()]: '1' } });
    expect(seeded).not.toHaveProperty('privateKey');
  });

  it('signs only for the development wallet', async () => {
    const response = await fetch(`${demo.server.url}/dev/picket/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ walletAddress: `0x${'1'.repeat(40)}`, message: 'hello' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('ERR_BAD_REQUEST');
  });

  it.each([
    ['eip155:1', `0x${'1'.repeat(40)}`],
    ['solana:mainnet', '11111111111111111111111111111111'],
  ])('signs %s sign-in messages only for its own account', async (chain, address) => {
    const response = await fetch(`${demo.server.url}/dev/wallet/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chain, address, message: 'hello' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'ERR_BAD_REQUEST',
      message: 'The development wallet signs only for its own address.',
    });
  });
});

describe('pnpm demo --once, as a process', () => {
  it('prints both tables and exits 0 when every login behaves', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const root = join(import.meta.dirname, '..');
    // tsconfig.json resolves the workspace packages to their sources, as every test does; `pnpm demo`
    // itself runs the same entry on the built packages.
    // Its own process group, so that the whole tree (tsx runs the entry in a child) can be stopped.
    const child = spawn(process.execPath, [tsx, '--tsconfig', 'tsconfig.json', 'src/demo.ts', '--once'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    onTestFinished(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(status, stderr).toBe(0);
    expect(stdout).toContain('Scripted logins\nprovider');
    for (const id of LOGINS) {
      expect(stdout).toMatch(new RegExp(`^${id} +\\S+ +\\d+ +ok$`, 'm'));
      expect(stdout).toMatch(
        new RegExp(`^${id} +- +\\d+ +refused as expected \\(ERR_CREDENTIAL_\\w+\\)$`, 'm'),
      );
    }
    expect(stdout).toContain('All logins behaved as expected.');
  });
});
