/**
 * A path a provider does not have answers in that provider's own error shape, the one its official
 * clients parse (spec of each provider), never the harness's generic body.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { EmulatorFixtures } from './fixtures.js';
import { type Emulator, startEmulator } from './server.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ providers: ['magic', 'picket', 'pi', 'toopher'] });
});
afterAll(() => emulator.close());

const answer = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${emulator.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('unknown paths', () => {
  it("Magic's: {data, error_code, message, status: 'failed'}", async () => {
    const { status, body } = await answer('/magic/v1/no-such-route', {
      headers: { 'x-magic-secret-key': emulator.fixtures.magic?.secretKey ?? '' },
    });
    expect(status).toBe(404);
    expect(body).toEqual({
      data: {},
      error_code: 'NOT_FOUND',
      message: 'No Magic admin route for GET /magic/v1/no-such-route.',
      status: 'failed',
    });
  });

  it("Picket's: {msg, code}, under /api/v1 and at the provider's root", async () => {
    for (const path of ['/picket/api/v1/no-such-route', '/picket/no-such-route']) {
      const { status, body } = await answer(path, { method: 'POST' });
      expect(status).toBe(404);
      expect(body).toEqual({ msg: `No Picket API route for POST ${path}`, code: 'resource_not_found' });
    }
  });

  it("Pi's: {error, error_message}", async () => {
    const { status, body } = await answer('/pi/v2/no-such-route');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: 'not_found',
      error_message: 'No Pi Platform API route for GET /pi/v2/no-such-route.',
    });
  });

  it('a path outside every provider keeps the harness answer', async () => {
    const { status, body } = await answer('/nowhere');
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'not_found' });
  });
});

describe('emulator.urls.picket', () => {
  it("is a working baseUrl: Picket's API answers there as under /api/v1", async () => {
    const key = emulator.fixtures.picket?.projects[0]?.secretKey ?? '';
    const headers = { authorization: `Basic ${btoa(`${key}:`)}` };
    const atRoot = await fetch(`${emulator.urls.picket}/chains`, { headers });
    const underApi = await fetch(`${emulator.urls.picket}${emulator.fixtures.picket?.apiBasePath}/chains`, {
      headers,
    });
    expect(atRoot.status).toBe(200);
    expect(await atRoot.json()).toEqual(await underApi.json());
  });
});

describe('emulator.fixtures', () => {
  it('is typed by provider, and holds what each provider seeded', () => {
    expectTypeOf(emulator.fixtures).toEqualTypeOf<Partial<EmulatorFixtures>>();
    expectTypeOf(emulator.fixtures.pi?.users).toEqualTypeOf<EmulatorFixtures['pi']['users'] | undefined>();
    expect(emulator.fixtures.pi?.apiKey).toEqual(expect.any(String));
    expect(emulator.fixtures.magic?.user.issuer).toMatch(/^did:ethr:0x[0-9a-fA-F]{40}$/);
    expect(emulator.fixtures.picket?.apiBasePath).toBe('/api/v1');
    expect(emulator.fixtures.toopher?.users.paired.username).toEqual(expect.any(String));
  });
});
