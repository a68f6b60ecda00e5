import { createApi, type Login, LoginError, loginsOf, signIn } from '../public/flows.js';

/** One line of the demo's table. */
export interface LoginRow {
  /** The login: the provider's id, with the chain for a wallet login (`wallet:solana`). */
  provider: string;
  /** The subject `/me` reported, or `-` when there was none. */
  subject: string;
  ms: number;
  /** `ok`, `refused as expected (CODE)`, or `FAILED: CODE message`. */
  result: string;
  ok: boolean;
}

/** A fetch that keeps the session cookie between calls, as a browser would. */
function fetchWithCookies(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      // An empty, already expired cookie is how a server deletes one.
      if (value === '' || /expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
}

/**
 * Signs in with `login` (a provider id, or one of {@link loginsOf}) through the HTTP API, like the page
 * does, then asks `/me` who is signed in. With `tamper`, the login must be refused with a 401 for the row
 * to be `ok`.
 */
export async function scriptedLogin(
  baseUrl: string,
  login: string | Login,
  tamper = false,
): Promise<LoginRow> {
  const fetchFn = fetchWithCookies();
  const api = createApi(baseUrl, fetchFn);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const provider = typeof login === 'string' ? login : login.id;
  const chain = typeof login === 'string' ? undefined : login.chain;
  try {
    const user = await signIn(api, typeof login === 'string' ? login : login.provider, {
      tamper,
      ...(chain ? { chain } : {}),
    });
    const ms = elapsed();
    const me = await fetchFn(`${baseUrl}/auth/me`);
    const session = me.ok ? ((await me.json()) as { session: { subject: string } }).session : undefined;
    if (tamper)
      return {
        provider,
        subject: user.subject,
        ms,
        result: 'FAILED: a spoiled credential was accepted',
        ok: false,
      };
    if (session?.subject !== user.subject) {
      return { provider, subject: user.subject, ms, result: `FAILED: /me answered ${me.status}`, ok: false };
    }
    return { provider, subject: session.subject, ms, result: 'ok', ok: true };
  } catch (error) {
    const ms = elapsed();
    const failure =
      error instanceof LoginError
        ? error
        : new LoginError(0, 'ERR_DEMO', error instanceof Error ? error.message : String(error));
    if (tamper && failure.status === 401) {
      return { provider, subject: '-', ms, result: `refused as expected (${failure.code})`, ok: true };
    }
    return { provider, subject: '-', ms, result: `FAILED: ${failure.code} ${failure.message}`, ok: false };
  }
}

/** The scripted part of `pnpm demo`: one login per provider, then one spoiled login per provider. */
export interface ScriptedRun {
  logins: LoginRow[];
  failures: LoginRow[];
  /** Every row behaved as expected (and there was at least one provider): `--once` exits 0 only then. */
  ok: boolean;
}

/**
 * Signs in with each login of `providers` in turn (the wallet once per chain), then tries a spoiled
 * credential with each.
 */
export async function runScriptedLogins(baseUrl: string, providers: readonly string[]): Promise<ScriptedRun> {
  const logins: LoginRow[] = [];
  const failures: LoginRow[] = [];
  for (const login of loginsOf(providers)) logins.push(await scriptedLogin(baseUrl, login));
  for (const login of loginsOf(providers)) failures.push(await scriptedLogin(baseUrl, login, true));
  const ok = providers.length > 0 && [...logins, ...failures].every((row) => row.ok);
  return { logins, failures, ok };
}

/** The rows as a fixed-width text table. */
export function formatTable(rows: readonly LoginRow[]): string {
  const header = { provider: 'provider', subject: 'subject', ms: 'time (ms)', result: 'result' };
  const cells = [header, ...rows.map((r) => ({ ...r, ms: String(r.ms) }))];
  const width = (key: keyof typeof header) => Math.max(...cells.map((c) => c[key].length));
  const line = (c: typeof header) =>
    [
      c.provider.padEnd(width('provider')),
      c.subject.padEnd(width('subject')),
      c.ms.padStart(width('ms')),
      c.result,
    ].join('  ');
  const rule = ['provider', 'subject', 'ms'].map((k) => '-'.repeat(width(k as keyof typeof header)));
  return [line(header), [...rule, '-'.repeat(width('result'))].join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}
