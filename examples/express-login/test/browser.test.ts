import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginsOf } from '../public/flows.js';
import { type DemoServer, startDemoServer } from '../src/demo-server.js';

/** A page's state settles after a few requests; vitest's default poll gives up after 1 s. */
const POLL = { timeout: 15_000 };

// Debian's chromium, installed by scripts/ensure-chromium.mjs (the package's test script runs it first).
const CHROMIUM = '/usr/bin/chromium';
const screenshotDir = join(import.meta.dirname, '..', '..', '..', '.artifacts', 'screenshots');

let demo: DemoServer;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const logged: string[] = [];

beforeAll(async () => {
  demo = await startDemoServer({ log: (line) => logged.push(line) });
  userDataDir = mkdtempSync(join(tmpdir(), 'authbridge-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demo.server.url);
  await page.locator('body[data-ready="true"]').waitFor();
});

afterAll(async () => {
  await context?.close();
  await demo?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const status = () => page.locator('#status');
const provider = (id: string) => page.locator(`#providers li[data-provider="${id}"]`);

async function signOut(): Promise<void> {
  await page.locator('#sign-out').click();
  await expect.poll(() => status().getAttribute('data-state'), POLL).toBe('signed-out');
}

describe('the sign-in page in Chromium', () => {
  it('lists every provider the server is configured with, the wallet once per chain', async () => {
    expect(
      await page.locator('#providers li').evaluateAll((items) => items.map((li) => li.dataset.provider)),
    ).toEqual(['pi', 'magic', 'picket', 'toopher', 'wallet:ethereum', 'wallet:solana']);
    expect(demo.providers.map((p) => p.id).sort()).toEqual(['magic', 'pi', 'picket', 'toopher', 'wallet']);
    expect(await provider('wallet:solana').locator('strong').textContent()).toBe(
      'Wallet (self-hosted), Solana',
    );
    expect(await status().textContent()).toBe('Not signed in.');
  });

  it.each([
    ['pi', /Signed in with pi as alice \(subject a1c3e5f7-/],
    ['magic', /Signed in with magic as did:ethr:0x[0-9a-fA-F]{40}/],
    ['picket', /Signed in with picket as ethereum:0x[0-9a-fA-F]{40}/],
    ['toopher', /Signed in with toopher as alice@example\.com \(subject 00000001-/],
    ['wallet:ethereum', /^Signed in with wallet as eip155:1:0x[0-9a-fA-F]{40}$/],
    [
      'wallet:solana',
      /^Signed in with wallet as solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp:[1-9A-HJ-NP-Za-km-z]{32,44}$/,
    ],
  ])('signs in with %s and shows the session /me reports', async (id, expected) => {
    await provider(id).locator('button.sign-in').click();
    await expect.poll(() => status().getAttribute('data-state'), POLL).toBe('signed-in');
    expect(await status().textContent()).toMatch(expected);
    expect(await page.locator('#error').isHidden()).toBe(true);
    // The page is not trusted for the session: /me, read with the httpOnly cookie, must agree.
    const me = await page.evaluate(() => fetch('/auth/me').then((r) => r.json()));
    expect(me.session.provider).toBe(id.split(':')[0]);
    // The wallet's account is the development wallet's own key on that chain.
    if (id === 'wallet:ethereum') expect(me.session.subject).toBe(`eip155:1:${demo.wallet.address}`);
    if (id === 'wallet:solana')
      expect(me.session.subject).toMatch(new RegExp(`:${demo.wallet.solana.address}$`));
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await signOut();
  });

  it.each([
    ['pi', 'ERR_CREDENTIAL_REJECTED'],
    ['magic', 'ERR_CREDENTIAL_EXPIRED'],
    ['picket', 'ERR_CREDENTIAL_SIGNATURE'],
    ['toopher', 'ERR_CREDENTIAL_REJECTED'],
    ['wallet:ethereum', 'ERR_CREDENTIAL_SIGNATURE'],
    ['wallet:solana', 'ERR_CREDENTIAL_SIGNATURE'],
  ])('shows why a spoiled %s login failed, and stays signed out', async (id, code) => {
    await provider(id).locator('button.fail').click();
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.locator('#error-code').textContent()).toBe(code);
    const message = (await page.locator('#error-message').textContent()) ?? '';
    expect(message.length).toBeGreaterThan(10);
    // A garbled message (a redaction marker in plain prose) reads as a bug to the user.
    expect(message).not.toMatch(/undefined|\[object|\[REDACTED\]/);
    // Written for a person: no provider URL, HTTP status or exchange, no developer detail.
    expect(message).not.toMatch(/https?:\/\/|HTTP|127\.0\.0\.1|POST |GET |\/v\d\/|status \d{3}/);
    expect(await status().getAttribute('data-state')).toBe('signed-out');
  });

  it.each([
    ['a 390 px phone', 390, 844],
    ['a 1280 px desktop', 1280, 800],
  ])(
    'fits %s: no sideways scrolling, every button on screen and large enough to tap, and a login works',
    async (name, width, height) => {
      await page.setViewportSize({ width, height });
      try {
        const layout = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          buttons: [...document.querySelectorAll('#providers button')].map((button) => {
            const box = button.getBoundingClientRect();
            return { left: box.left, right: box.right, height: box.height, width: box.width };
          }),
        }));
        expect(layout.scrollWidth, name).toBeLessThanOrEqual(layout.clientWidth);
        expect(layout.buttons.length).toBe(loginsOf(demo.providers.map((p) => p.id)).length * 2);
        for (const button of layout.buttons) {
          expect(button.left).toBeGreaterThanOrEqual(0);
          expect(button.right).toBeLessThanOrEqual(width);
          expect(button.height).toBeGreaterThanOrEqual(width < 600 ? 40 : 24);
          expect(button.width).toBeGreaterThan(width < 600 ? width * 0.7 : 100);
        }
        await provider('pi').locator('button.sign-in').click();
        await expect.poll(() => status().getAttribute('data-state'), POLL).toBe('signed-in');
        mkdirSync(screenshotDir, { recursive: true });
        await page.screenshot({ path: join(screenshotDir, `express-login-${width}.png`), fullPage: true });
        await signOut();
      } finally {
        await page.setViewportSize({ width: 1200, height: 800 });
      }
    },
  );

  it('keeps a session when a later login fails, and saves a screenshot of both', async () => {
    await provider('picket').locator('button.sign-in').click();
    await expect.poll(() => status().getAttribute('data-state'), POLL).toBe('signed-in');
    await provider('magic').locator('button.fail').click();
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.locator('#error-code').textContent()).toBe('ERR_CREDENTIAL_EXPIRED');
    expect(await status().textContent()).toMatch(/Signed in with picket/);
    // The text a user reads and the markup (attributes, hidden fields) a script could read.
    const text = `${(await page.locator('body').textContent()) ?? ''}\n${await page.content()}`;
    const secrets = secretsOf(demo.emulator.fixtures);
    // The walk reaches nested keys, not only each provider's top level.
    const fixtures = demo.emulator.fixtures as {
      picket: { projects: { secretKey: string }[]; wallets: { privateKey?: string }[] };
      toopher: { consumerKey: string; consumerSecret: string };
    };
    expect(secrets).toEqual(
      expect.arrayContaining([
        ...fixtures.picket.projects.map((project) => project.secretKey),
        ...fixtures.picket.wallets.flatMap((wallet) => wallet.privateKey ?? []),
        fixtures.toopher.consumerKey,
        fixtures.toopher.consumerSecret,
      ]),
    );
    for (const secret of secrets) expect(text, 'a seeded secret on the page').not.toContain(secret);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'express-login.png'), fullPage: true });
  });
});

/** Field names that hold a secret in the emulators' fixtures (a publishable key is public by design). */
const SECRET_FIELD = /secret|token|password|privateKey|apiKey|consumerKey/i;

/** Every secret string the emulators were seeded with, at any depth: none may reach the page. */
function secretsOf(value: unknown, field = ''): string[] {
  if (typeof value === 'string') return SECRET_FIELD.test(field) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => secretsOf(item, field));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([name, inner]) => secretsOf(inner, name));
  return [];
}
