/**
 * The Toopher API emulator (spec: shared/specs/toopher.md): OAuth 1.0a verified REST routes, the
 * `/web/*` iframe pages, and `/_emulator/*` routes that act as the user's phone. See docs/toopher.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { EmulatorContext, EmulatorEnv, ProviderModule } from '../types.js';
import {
  createNonceGuard,
  matchTotp,
  type Params,
  parseAuthorizationHeader,
  parseForm,
  totp,
  verifyOAuth,
} from './oauth.js';
import {
  type AuthenticationRequest,
  defaultFixtures,
  type Pairing,
  type Terminal,
  type ToopherEmulatorOptions,
  ToopherState,
  type User,
} from './state.js';
import { webRoutes } from './web.js';

type Ctx = Context<EmulatorEnv>;

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Toopher's error body. */
export function toopherError(c: Ctx, status: number, code: number, message: string): Response {
  return c.json({ error_code: code, error_message: message }, status as 400);
}

/** `True`/`true`/`False`/`false` (the SDKs differ); anything else is `undefined`. */
export function parseBool(value: string | undefined): boolean | undefined {
  const lower = value?.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

export function userJson(user: User) {
  return { id: user.id, name: user.name, toopher_authentication_enabled: user.enabled };
}

export function terminalJson(terminal: Terminal, user: User) {
  return {
    id: terminal.id,
    name: terminal.name,
    requester_specified_id: terminal.requesterSpecifiedId,
    user: userJson(user),
  };
}

export function pairingJson(pairing: Pairing, user: User) {
  return {
    id: pairing.id,
    enabled: pairing.enabled && !pairing.deactivated,
    pending: pairing.pending,
    user: userJson(user),
  };
}

/** A request still pending after the timeout is finished as denied, on first look. */
export function settle(
  request: AuthenticationRequest,
  now: number,
  timeoutMs: number,
): AuthenticationRequest {
  if (request.pending && now - request.createdAt > timeoutMs) {
    Object.assign(request, { pending: false, granted: false, reason: 'Timed out', reasonCode: 3 });
  }
  return request;
}

export const toopherModule: ProviderModule = {
  id: 'toopher',
  create(context: EmulatorContext, rawOptions?: unknown) {
    const options = (rawOptions ?? {}) as ToopherEmulatorOptions;
    const fixtures = defaultFixtures(options);
    const consumer = { key: fixtures.consumerKey, secret: fixtures.consumerSecret };
    const state = new ToopherState(fixtures);
    const timeoutMs = options.requestTimeoutMs ?? 5 * 60_000;
    const app = new Hono<EmulatorEnv>();
    const params = new WeakMap<Request, Params>();
    const nonces = createNonceGuard({ windowMs: options.oauthWindowMs });

    /** Whether `otp` is the pairing's current TOTP and was not accepted before; remembers it if so. */
    const acceptOtp = (pairing: Pairing, otp: string): boolean => {
      const step = matchTotp(pairing.totpSecret, context.now(), otp);
      if (step === undefined || (pairing.lastOtpStep !== undefined && step <= pairing.lastOtpStep))
        return false;
      pairing.lastOtpStep = step;
      return true;
    };

    const requestJson = (r: AuthenticationRequest) => {
      settle(r, context.now(), timeoutMs);
      const user = state.users.get(r.userId) as User;
      const terminal = state.terminals.get(r.terminalId) as Terminal;
      const actionName = [...state.actions].find(([, id]) => id === r.actionId)?.[0] ?? 'Log In';
      return {
        id: r.id,
        pending: r.pending,
        granted: r.granted,
        automated: r.automated,
        reason: r.reason,
        reason_code: r.reasonCode,
        terminal: terminalJson(terminal, user),
        user: userJson(user),
        action: { id: r.actionId, name: actionName },
      };
    };

    /** Starts a request after the checks every route shares (704, 707, 601, 706, 708); a Response on error. */
    const initiate = (
      c: Ctx,
      user: User,
      pairing: Pairing | undefined,
      input: { terminalName?: string; terminalId?: string; action?: string; otp?: string },
    ): AuthenticationRequest | Response => {
      if (!user.enabled)
        return toopherError(c, 409, 704, 'The specified user has disabled Toopher authentication.');
      if (!pairing) return toopherError(c, 409, 705, 'No matching user exists');
      if (pairing.deactivated)
        return toopherError(c, 409, 707, 'Not allowed: This pairing has been deactivated.');
      if (pairing.pending || !pairing.enabled)
        return toopherError(c, 409, 601, 'Pairing has not been authorized');
      const terminal = state.terminalFor(
        user.id,
        input.terminalName ?? (input.terminalId ? undefined : 'Unnamed terminal'),
        input.terminalId,
      );
      if (!terminal) return toopherError(c, 409, 706, 'No matching terminal exists');
      if (user.requiresOtp && !input.otp)
        return toopherError(c, 409, 708, 'User requires OTP authentication');
      const request: AuthenticationRequest = {
        id: randomUUID(),
        userId: user.id,
        pairingId: pairing.id,
        terminalId: terminal.id,
        actionId: state.actionId(input.action || 'Log In'),
        pending: true,
        granted: false,
        automated: false,
        reason: '',
        reasonCode: 0,
        createdAt: context.now(),
      };
      if (input.otp !== undefined) {
        const valid = acceptOtp(pairing, input.otp);
        Object.assign(request, {
          pending: false,
          granted: valid,
          reason: valid ? 'OTP valid' : 'OTP invalid',
          reasonCode: valid ? 0 : 2,
        });
      }
      state.requests.set(request.id, request);
      return request;
    };

    // The phone and the iframe pages answer before the OAuth check: they are not API calls.
    app.route('/_emulator', phoneRoutes());
    app.route('/web', webRoutes({ context, state, consumer, initiate, timeoutMs, requestJson }));

    app.use('*', async (c, next) => {
      const url = new URL(c.req.url);
      const query = parseForm(url.search.slice(1));
      const header = parseAuthorizationHeader(c.req.header('authorization'));
      const isForm = (c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
      const body = isForm ? parseForm(await c.req.text()) : [];
      if (!query || !body) return toopherError(c, 400, 400, 'Malformed parameters');
      const all: Params = [...(header ?? []), ...query, ...body];
      // The signature first, so an unsigned request cannot use up a nonce.
      const problem = verifyOAuth(c.req.method, url, all, consumer) ?? nonces.check(all, context.now());
      if (problem) return toopherError(c, 401, 401, `Not a valid OAuth signed request: ${problem}`);
      params.set(c.req.raw, [...query, ...body]);
      return next();
    });
    /** The first value of the first name present: the SDKs spell some parameters differently (spec §9). */
    const param = (c: Ctx, ...names: string[]): string | undefined => {
      const list = params.get(c.req.raw) ?? [];
      for (const name of names) {
        const found = list.find(([n]) => n === name);
        if (found) return found[1];
      }
      return undefined;
    };
    const notFound = (c: Ctx, what: string) => toopherError(c, 404, 404, `No such ${what}`);

    const createPairing = (c: Ctx, check: () => string | undefined) => {
      const problem = check();
      if (problem) return toopherError(c, 400, 400, problem);
      const userId = param(c, 'user_id');
      const name = param(c, 'user_name');
      const user = userId
        ? state.users.get(userId)
        : name
          ? (state.userByName(name) ?? state.createUser(name))
          : undefined;
      if (!user) return toopherError(c, 409, 705, 'No matching user exists');
      return c.json(pairingJson(state.createPairing(user.id), user), 201);
    };
    app.post('/pairings/create', (c) =>
      createPairing(c, () => {
        const phrase = param(c, 'pairing_phrase') ?? '';
        return /^[A-Za-z]+( [A-Za-z]+)+$/.test(phrase.trim())
          ? undefined
          : 'A pairing phrase is two or more words';
      }),
    );
    app.post('/pairings/create/sms', (c) =>
      createPairing(c, () =>
        /\d/.test(param(c, 'phone_number') ?? '') ? undefined : 'phone_number is required',
      ),
    );
    app.post('/pairings/create/qr', (c) => createPairing(c, () => undefined));
    app.get('/pairings/:id', (c) => {
      const pairing = state.pairings.get(c.req.param('id'));
      if (!pairing) return notFound(c, 'pairing');
      return c.json(pairingJson(pairing, state.users.get(pairing.userId) as User));
    });
    app.get('/qr/pairings/:id', (c) => {
      if (!state.pairings.has(c.req.param('id'))) return notFound(c, 'pairing');
      return c.body(new Uint8Array(PNG_1X1), 200, { 'content-type': 'image/png' });
    });
    app.post('/pairings/:id/generate_reset_link', (c) => {
      const id = c.req.param('id');
      if (!state.pairings.has(id)) return notFound(c, 'pairing');
      return c.json({
        url: `${context.baseUrl()}/pairings/${id}/reset?reset_authorization=${randomBytes(8).toString('hex')}`,
      });
    });
    app.post('/pairings/:id/send_reset_link', (c) => {
      if (!state.pairings.has(c.req.param('id'))) return notFound(c, 'pairing');
      if (!(param(c, 'reset_email') ?? '').includes('@'))
        return toopherError(c, 400, 400, 'reset_email is required');
      return c.json([], 201);
    });

    app.post('/authentication_requests/initiate', (c) => {
      const pairingId = param(c, 'pairing_id');
      const userName = param(c, 'user_name');
      let user: User | undefined;
      let pairing: Pairing | undefined;
      if (pairingId) {
        pairing = state.pairings.get(pairingId);
        if (!pairing) return notFound(c, 'pairing');
        user = state.users.get(pairing.userId);
      } else if (userName) {
        user = state.userByName(userName);
        pairing = user && state.pairingOf(user.id);
      } else {
        return toopherError(c, 400, 400, 'pairing_id or user_name is required');
      }
      if (!user) return toopherError(c, 409, 705, 'No matching user exists');
      const started = initiate(c, user, pairing, {
        terminalName: param(c, 'terminal_name'),
        terminalId: param(c, 'requester_specified_terminal_id', 'terminal_name_extra'),
        action: param(c, 'action_name', 'action'),
        otp: param(c, 'otp'),
      });
      return started instanceof Response ? started : c.json(requestJson(started), 201);
    });
    app.get('/authentication_requests/:id', (c) => {
      const request = state.requests.get(c.req.param('id'));
      return request ? c.json(requestJson(request)) : notFound(c, 'authentication request');
    });
    app.post('/authentication_requests/:id/otp_auth', (c) => {
      const request = state.requests.get(c.req.param('id'));
      if (!request) return notFound(c, 'authentication request');
      settle(request, context.now(), timeoutMs);
      if (!request.pending)
        return toopherError(c, 409, 409, 'The authentication request is no longer pending');
      const pairing = state.pairings.get(request.pairingId) as Pairing;
      const valid = acceptOtp(pairing, param(c, 'otp') ?? '');
      Object.assign(request, {
        pending: false,
        granted: valid,
        reason: valid ? 'OTP valid' : 'OTP invalid',
        reasonCode: valid ? 0 : 2,
      });
      return c.json(requestJson(request));
    });

    app.post('/users/create', (c) => {
      const name = param(c, 'name');
      if (!name) return toopherError(c, 400, 400, 'name is required');
      if (state.userByName(name)) return toopherError(c, 409, 409, 'A user with that name exists');
      return c.json(userJson(state.createUser(name)), 201);
    });
    app.get('/users', (c) => {
      const name = param(c, 'name', 'user_name');
      return c.json(
        [...state.users.values()].filter((u) => name === undefined || u.name === name).map(userJson),
      );
    });
    app.post('/users/reset', (c) => {
      const user = state.userByName(param(c, 'user_name', 'name') ?? '');
      if (!user) return toopherError(c, 409, 705, 'No matching user exists');
      for (const pairing of state.pairings.values()) {
        if (pairing.userId === user.id) Object.assign(pairing, { enabled: false, deactivated: true });
      }
      return c.json([]);
    });
    app.get('/users/:id', (c) => {
      const user = state.users.get(c.req.param('id'));
      return user ? c.json(userJson(user)) : notFound(c, 'user');
    });
    app.post('/users/:id', (c) => {
      const user = state.users.get(c.req.param('id'));
      if (!user) return notFound(c, 'user');
      const enabled = parseBool(param(c, 'toopher_authentication_enabled'));
      const disabled = parseBool(param(c, 'disable_toopher_auth'));
      if (enabled === undefined && disabled === undefined)
        return toopherError(c, 400, 400, 'Nothing to update');
      user.enabled = enabled ?? !disabled;
      return c.json(userJson(user));
    });

    app.post('/user_terminals/create', (c) => {
      const user = state.userByName(param(c, 'user_name') ?? '');
      if (!user) return toopherError(c, 409, 705, 'No matching user exists');
      const name = param(c, 'name');
      const requesterSpecifiedId = param(c, 'requester_specified_id', 'name_extra');
      if (!name || !requesterSpecifiedId)
        return toopherError(c, 400, 400, 'name and requester_specified_id are required');
      return c.json(terminalJson(state.createTerminal(user.id, name, requesterSpecifiedId), user), 201);
    });
    app.get('/user_terminals/:id', (c) => {
      const terminal = state.terminals.get(c.req.param('id'));
      return terminal
        ? c.json(terminalJson(terminal, state.users.get(terminal.userId) as User))
        : notFound(c, 'terminal');
    });

    function phoneRoutes() {
      const phone = new Hono<EmulatorEnv>();
      const answer = (granted: boolean) => (c: Ctx) => {
        const request = state.requests.get(c.req.param('id') ?? '');
        if (!request) return notFound(c, 'authentication request');
        settle(request, context.now(), timeoutMs);
        if (!request.pending)
          return toopherError(c, 409, 409, 'The authentication request is no longer pending');
        Object.assign(request, {
          pending: false,
          granted,
          reason: granted ? 'Approved on phone' : 'Denied on phone',
          reasonCode: granted ? 0 : 1,
        });
        return c.json(requestJson(request));
      };
      phone.post('/authentication_requests/:id/grant', answer(true));
      phone.post('/authentication_requests/:id/deny', answer(false));
      const pairingRoute = (update: Partial<Pairing>) => (c: Ctx) => {
        const pairing = state.pairings.get(c.req.param('id') ?? '');
        if (!pairing) return notFound(c, 'pairing');
        Object.assign(pairing, update);
        return c.json(pairingJson(pairing, state.users.get(pairing.userId) as User));
      };
      phone.post(
        '/pairings/:id/complete',
        pairingRoute({ pending: false, enabled: true, deactivated: false }),
      );
      phone.post('/pairings/:id/deactivate', pairingRoute({ enabled: false, deactivated: true }));
      phone.get('/pairings/:id/otp', (c) => {
        const pairing = state.pairings.get(c.req.param('id'));
        return pairing ? c.json({ otp: totp(pairing.totpSecret, context.now()) }) : notFound(c, 'pairing');
      });
      return phone;
    }

    // Unknown paths answer in Toopher's {error_code, error_message} shape that its SDKs parse.
    app.all('*', (c) => notFound(c, `route for ${c.req.method} ${new URL(c.req.url).pathname}`));

    return {
      app,
      fixtures,
      reset: () => {
        state.reset();
        nonces.clear();
      },
    };
  },
};
