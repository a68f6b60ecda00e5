import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../server.js';

const DEV_ADDRESS = '0x1111111111111111111111111111111111111111';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({
    providers: ['picket'],
    providerOptions: { picket: { wallets: [{ chain: 'ethereum', address: DEV_ADDRESS, balances: {} }] } },
  });
});
afterAll(() => emulator.close());

const sign = (walletAddress: string) =>
  fetch(`${emulator.urls.picket}/_emulator/sign`, {
    method: 'POST',
    body: JSON.stringify({ walletAddress, message: 'hello' }),
  });

describe('wallets an app seeds', () => {
  it('lists a wallet seeded without a key, and refuses to sign for it', async () => {
    const { wallets } = (await (await fetch(`${emulator.urls.picket}/_emulator/wallets`)).json()) as {
      wallets: { address: string }[];
    };
    expect(wallets.map((w) => w.address)).toContain(DEV_ADDRESS);
    const refused = await sign(DEV_ADDRESS);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'resource_not_found' });
  });

  it('still signs for the wallets it seeds with their test keys', async () => {
    const { wallets } = (await (await fetch(`${emulator.urls.picket}/_emulator/wallets`)).json()) as {
      wallets: { address: string; privateKey?: string }[];
    };
    const seeded = wallets.find((w) => w.privateKey !== undefined);
    expect(seeded).toBeDefined();
    const signed = await sign(seeded!.address);
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$|^[1-9A-HJ-NP-Za-km-z]+$/),
    });
  });
});
