// The demo as a model of a safe deployment, over real HTTP against the emulators: security headers, the
// Host allow-list, rate limits (Toopher pushes included), replay protection, server-held challenges, log
// lines and error bodies that cannot be forged or overflowed.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser } from '../../../packages/web/test/login-routes-suite.js';
import { type DemoServer, startDemoServer } from '../src/demo-server.js';
import { escapeForLog } from '../src/log.js';

let demo: DemoServer;
let limited: DemoServer;
const logged: string[] = [];

beforeAll(async () => {
  [demo, limited] = await Promise.all([
    startDemoServer({ log: (line) => logged.push(line) }),
    startDemoServer({ log: () => undefined, rateLimit: { perMinute: 3, toopherPushesPerMinute: 2 } }),
  ]);
});
afterAll(async () => {
  await demo?.close();
  await limited?.close();
});

/** A request with a Host header of our choosing, as a DNS-rebinding page would send it. */
function withHost(url: string, host: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers: { host, 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;

describe('security headers', () => {
  it('sends a CSP with frame-ancestors none, nosniff and DENY on the page and on the API', async () => {
    for (const path of ['/', '/auth/providers', '/auth/me']) {
      const response = await fetch(demo.server.url + path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});

describe('Host allow-list (DNS rebinding)', () => {
  it('answers 421 to another host name on the development routes, the login routes and the page', async () => {
    const port = new URL(demo.server.url).port;
    for (const [path, method] of [
      ['/dev/pi/access-token', 'POST'],
      ['/dev/picket/sign', 'POST'],
      ['/auth/providers', 'GET'],
      ['/', 'GET'],
    ] as const) {
      const rebound = await withHost(demo.server.url + path, `evil.example:${port}`, method);
      expect(rebound.status, path).toBe(421);
      expect(JSON.parse(rebound.body).code).toBe('ERR_HOST_NOT_ALLOWED');
    }
    const local = await withHost(`${demo.server.url}/dev/pi/access-token`, `localhost:${port}`, 'POST');
    expect(local.status).toBe(200);
  });
});

describe('rate limits', () => {
  it('limits Toopher pushes per client more tightly than other challenges, with Retry-After', async () => {
    const b = browser(limited.server.url);
    const { username } = (await (await b.post('/dev/toopher/user')).json()) as { username: string };
    for (let i = 0; i < 2; i++)
      expect((await b.post('/auth/toopher/challenge', { username })).status).toBe(200);
    const pushed = await b.post('/auth/toopher/challenge', { username });
    expect(pushed.status).toBe(429);
    expect(Number(pushed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await codeOf(pushed)).toBe('ERR_RATE_LIMITED');
  });

  it('limits logins per client and provider', async () => {
    const b = browser(limited.server.url);
    for (let i = 0; i < 3; i++) await b.post('/auth/pi/verify', { credential: `guess-${i}` });
    const refused = await b.post('/auth/pi/verify', { credential: 'guess-4' });
    expect([refused.status, await codeOf(refused)]).toEqual([429, 'ERR_RATE_LIMITED']);
  });
});

describe('one-time credentials and server-held challenges', () => {
  it('accepts a Magic DID token once (replay store on)', async () => {
    const b = browser(demo.server.url);
    const { didToken } = (await (await b.post('/dev/magic/did-token')).json()) as { didToken: string };
    expect((await b.post('/auth/magic/verify', { credential: didToken })).status).toBe(200);
    const replayed = await browser(demo.server.url).post('/auth/magic/verify', { credential: didToken });
    expect([replayed.status, await codeOf(replayed)]).toEqual([401, 'ERR_CREDENTIAL_REPLAYED']);
  });

  it("signs Picket's SIWE message for this server's origin whatever the client sends, and takes only the signature back", async () => {
    const b = browser(demo.server.url);
    const wallet = (await (await b.post('/dev/picket/wallet')).json()) as {
      chain: string;
      walletAddress: string;
    };
    const started = await b.post('/auth/picket/challenge', {
      ...wallet,
      siwe: { domain: 'evil.example', uri: 'https://evil.example' },
      domain: 'evil.example',
    });
    const { challenge } = (await started.json()) as { challenge: { id: string; message: string } };
    expect(challenge.message).not.toContain('evil.example');
    const { signature } = (await (
      await b.post('/dev/picket/sign', { walletAddress: wallet.walletAddress, message: challenge.message })
    ).json()) as { signature: string };
    const withContext = await b.post('/auth/picket/verify', {
      credential: { challengeId: challenge.id, signature, context: { domain: 'evil.example' } },
    });
    expect([withContext.status, await codeOf(withContext)]).toEqual([401, 'ERR_CREDENTIAL_MALFORMED']);
    const { challenge: next } = (await (await b.post('/auth/picket/challenge', wallet)).json()) as {
      challenge: { id: string; message: string };
    };
    const signed = (await (
      await b.post('/dev/picket/sign', { walletAddress: wallet.walletAddress, message: next.message })
    ).json()) as { signature: string };
    const done = await b.post('/auth/picket/verify', {
      credential: { challengeId: next.id, signature: signed.signature },
    });
    expect(done.status).toBe(200);
    const again = await b.post('/auth/picket/verify', {
      credential: { challengeId: next.id, signature: signed.signature },
    });
    expect([again.status, await codeOf(again)]).toEqual([401, 'ERR_CREDENTIAL_CHALLENGE']);
  });

  it.each([
    ['eip155:1', 'Ethereum'],
    ['solana:mainnet', 'Solana'],
  ])(
    "binds the %s wallet message to this server's origin, and takes only { challengeId, message, signature } back",
    async (chain, family) => {
      const b = browser(demo.server.url);
      const { address } = (await (await b.post('/dev/wallet/account', { chain })).json()) as {
        address: string;
      };
      // A chain off the server's allow-list is refused: a plain message for the person, the allowed chains
      // in the log for the developer.
      const offList = await b.post('/auth/wallet/challenge', { chain: 'eip155:8453', address });
      const refusal = (await offList.json()) as { code: string; message: string };
      expect([offList.status, refusal.code]).toEqual([400, 'ERR_INVALID_ARGUMENT']);
      expect(refusal.message).not.toMatch(/eip155|undefined/);
      expect(logged.at(-1)).toMatch(/challenge -> 400 ERR_INVALID_ARGUMENT: .*eip155:1 or solana:mainnet/);
      const started = await b.post('/auth/wallet/challenge', {
        chain,
        address,
        domain: 'evil.example',
        uri: 'https://evil.example',
        nonce: 'chosen-by-the-client',
      });
      const { challenge } = (await started.json()) as { challenge: { id: string; message: string } };
      const { host } = new URL(demo.server.url);
      expect(
        challenge.message.startsWith(
          `${host} wants you to sign in with your ${family} account:\n${address}\n`,
        ),
      ).toBe(true);
      expect(challenge.message).not.toMatch(/evil\.example|chosen-by-the-client/);
      const { signature } = (await (
        await b.post('/dev/wallet/sign', { chain, address, message: challenge.message })
      ).json()) as { signature: string };
      const withChain = await b.post('/auth/wallet/verify', {
        credential: { challengeId: challenge.id, message: challenge.message, signature, chain },
      });
      expect([withChain.status, await codeOf(withChain)]).toEqual([401, 'ERR_CREDENTIAL_MALFORMED']);
      // A message of another site, signed by the same wallet, is refused: the domain is the server's.
      const forged = challenge.message.replace(host, 'evil.example');
      const forgedSignature = (await (
        await b.post('/dev/wallet/sign', { chain, address, message: forged })
      ).json()) as { signature: string };
      const elsewhere = await b.post('/auth/wallet/verify', {
        credential: { challengeId: challenge.id, message: forged, signature: forgedSignature.signature },
      });
      expect([elsewhere.status, await codeOf(elsewhere)]).toEqual([401, 'ERR_CREDENTIAL_DOMAIN']);
      // That attempt spent the nonce: the genuine signature cannot use it afterwards.
      const late = await b.post('/auth/wallet/verify', {
        credential: { challengeId: challenge.id, message: challenge.message, signature },
      });
      expect([late.status, await codeOf(late)]).toEqual([401, 'ERR_CREDENTIAL_CHALLENGE']);
      const { challenge: next } = (await (
        await b.post('/auth/wallet/challenge', { chain, address })
      ).json()) as {
        challenge: { id: string; message: string };
      };
      const signed = (await (
        await b.post('/dev/wallet/sign', { chain, address, message: next.message })
      ).json()) as { signature: string };
      const done = await b.post('/auth/wallet/verify', {
        credential: { challengeId: next.id, message: next.message, signature: signed.signature },
      });
      expect(done.status).toBe(200);
      const { session } = (await done.json()) as { session: { subject: string } };
      expect(session.subject.startsWith(chain === 'eip155:1' ? 'eip155:1:' : 'solana:')).toBe(true);
      expect(session.subject.endsWith(`:${address}`)).toBe(true);
    },
  );

  it('finishes a Toopher push only in the browser that started it', async () => {
    const b = browser(demo.server.url);
    const { username } = (await (await b.post('/dev/toopher/user')).json()) as { username: string };
    const { challenge } = (await (await b.post('/auth/toopher/challenge', { username })).json()) as {
      challenge: { id: string };
    };
    await b.post('/dev/toopher/phone', { challengeId: challenge.id, answer: 'grant' });
    const elsewhere = await browser(demo.server.url).post('/auth/toopher/verify', {
      credential: { challengeId: challenge.id },
    });
    expect([elsewhere.status, await codeOf(elsewhere)]).toEqual([401, 'ERR_CREDENTIAL_CHALLENGE']);
    expect((await b.post('/auth/toopher/verify', { credential: { challengeId: challenge.id } })).status).toBe(
      200,
    );
  });
});

describe('errors and logs', () => {
  it('answers deep, broken and oversized JSON with a JSON error and never a stack trace', async () => {
    const b = browser(demo.server.url);
    const deep = `{"credential":${'['.repeat(7000)}${']'.repeat(7000)}}`;
    for (const [path, body, status] of [
      ['/auth/pi/verify', deep, 400],
      ['/dev/magic/did-token', `{"expired":${'['.repeat(3000)}${']'.repeat(3000)}}`, 413],
      ['/dev/magic/did-token', '{"expired":', 400],
      ['/auth/picket/challenge', '{"chain":', 400],
    ] as const) {
      const response = await b.post(path, body);
      const text = await response.text();
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+|<html/i);
    }
  });

  it('writes one log line per failure, with control characters escaped', async () => {
    logged.length = 0;
    await browser(demo.server.url).post('/auth/nope%0a%1b%5b31mFAKE%20LINE/verify', { credential: 'x' });
    expect(logged.length).toBe(1);
    for (const control of ['\n', '\r', String.fromCharCode(0x1b)]) expect(logged[0]).not.toContain(control);
    expect(logged[0]).toContain('\\u000a');
    expect(escapeForLog('a\r\nb\u2028c\u0000')).toBe('a\\u000d\\u000ab\\u2028c\\u0000');
  });

  it("shows a person a plain message when a login fails, never the provider's URL or HTTP exchange", async () => {
    const b = browser(demo.server.url);
    const wallet = (await (await b.post('/dev/picket/wallet')).json()) as { walletAddress: string };
    const { challenge } = (await (
      await b.post('/auth/picket/challenge', { ...wallet, chain: 'ethereum' })
    ).json()) as {
      challenge: { id: string; message: string };
    };
    const { signature } = (await (
      await b.post('/dev/picket/sign', {
        walletAddress: wallet.walletAddress,
        message: `${challenge.message}!`,
      })
    ).json()) as { signature: string };
    const refused = await b.post('/auth/picket/verify', {
      credential: { challengeId: challenge.id, signature },
    });
    const body = (await refused.json()) as { code: string; message: string };
    expect(refused.status).toBe(401);
    expect(body.message).not.toMatch(/https?:\/\/|HTTP|127\.0\.0\.1|POST|\/v\d/);
    expect(body.message).toMatch(/^[A-Z].*\.$/);
  });
});
