/**
 * The iframe pages: `/web/authenticate` and `/web/manage_user` verify the signed URL, then offer the
 * postback data (`toopher_iframe_data`) the real page hands to the host page with `postMessage`.
 */
import { type Context, Hono } from 'hono';
import type { EmulatorContext, EmulatorEnv } from '../types.js';
import { encodePostback, type Params, parseForm, verifyOAuth } from './oauth.js';
import type { AuthenticationRequest, Pairing, ToopherState, User } from './state.js';

type Ctx = Context<EmulatorEnv>;

interface WebDeps {
  context: EmulatorContext;
  state: ToopherState;
  consumer: { key: string; secret: string };
  initiate(
    c: Ctx,
    user: User,
    pairing: Pairing | undefined,
    input: { terminalName?: string; action?: string },
  ): AuthenticationRequest | Response;
  timeoutMs: number;
  requestJson(request: AuthenticationRequest): { pending: boolean };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): Response {
  return new Response(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}

/** The page that hands `data` to the host page, as toopher-web.js expects, and shows it for tests. */
function postbackPage(title: string, data: string, extra = ''): Response {
  const payload = Object.fromEntries(parseForm(data) ?? []);
  const message = JSON.stringify({ status: 'toopher-api-complete', payload });
  return page(
    title,
    `${extra}<form id="toopher_postback"><input type="hidden" name="toopher_iframe_data" value="${escapeHtml(data)}"></form>` +
      `<script>window.parent.postMessage(${JSON.stringify(message).replace(/</g, '\\u003c')}, '*');</script>`,
  );
}

export function webRoutes(deps: WebDeps): Hono<EmulatorEnv> {
  const { context, state, consumer } = deps;
  const web = new Hono<EmulatorEnv>();
  const nowSeconds = () => Math.floor(context.now() / 1000);

  /** The signed URL's parameters, or the error page. Every parameter, OAuth ones included, is in the query. */
  const verifiedQuery = (c: Ctx): Map<string, string> | Response => {
    const url = new URL(c.req.url);
    const params: Params | undefined = parseForm(url.search.slice(1));
    if (!params || verifyOAuth('GET', url, params, consumer)) {
      return page('Toopher', '<p id="error">Invalid request signature.</p>', 401);
    }
    const map = new Map<string, string>();
    for (const [name, value] of params) if (!map.has(name)) map.set(name, value);
    if (map.get('v') !== '2') return page('Toopher', '<p id="error">Unsupported iframe version.</p>', 400);
    const expires = Number(map.get('expires'));
    if (!Number.isInteger(expires) || expires < nowSeconds()) {
      return page('Toopher', '<p id="error">This link has expired.</p>', 401);
    }
    if (!map.get('username')) return page('Toopher', '<p id="error">username is required.</p>', 400);
    return map;
  };

  const errorData = (code: number, message: string) =>
    `error_code=${code}&error_message=${encodeURIComponent(message).replace(/%20/g, '+')}`;

  const authenticationFields = (request: AuthenticationRequest): Record<string, string> => {
    const user = state.users.get(request.userId) as User;
    const terminal = state.terminals.get(request.terminalId);
    const actionName = [...state.actions].find(([, id]) => id === request.actionId)?.[0] ?? 'Log In';
    return {
      id: request.id,
      pending: String(request.pending),
      granted: String(request.granted),
      automated: String(request.automated),
      reason: request.reason,
      reason_code: String(request.reasonCode),
      terminal_id: terminal?.id ?? '',
      terminal_name: terminal?.name ?? '',
      terminal_requester_specified_id: terminal?.requesterSpecifiedId ?? '',
      pairing_user_id: user.id,
      user_name: user.name,
      user_toopher_authentication_enabled: String(user.enabled),
      action_id: request.actionId,
      action_name: actionName,
      requester_metadata: request.requesterMetadata ?? '',
      session_token: request.sessionToken ?? '',
      timestamp: String(nowSeconds()),
      resource_type: 'authentication_request',
    };
  };

  web.get('/authenticate', async (c) => {
    const query = verifiedQuery(c);
    if (query instanceof Response) return query;
    const user = state.userByName(query.get('username') ?? '');
    if (!user) return postbackPage('Toopher', errorData(705, 'No matching user exists'));
    const started = deps.initiate(c, user, state.pairingOf(user.id), {
      terminalName: 'Web browser',
      action: query.get('action_name') || 'Log In',
    });
    if (started instanceof Response) {
      // The iframe reports API errors through the postback rather than as an HTTP error.
      const body = (await started.json()) as { error_code: number; error_message: string };
      return postbackPage('Toopher', errorData(body.error_code, body.error_message));
    }
    started.sessionToken = query.get('session_token') ?? '';
    started.requesterMetadata = query.get('requester_metadata') ?? '';
    const resultUrl = `${context.baseUrl()}/web/authenticate/${started.id}/result`;
    return page(
      'Toopher: check your phone',
      `<main id="toopher" data-request-id="${escapeHtml(started.id)}" data-result-url="${escapeHtml(resultUrl)}">` +
        `<p>Approve "${escapeHtml(query.get('action_name') || 'Log In')}" for ${escapeHtml(user.name)} on your phone.</p></main>` +
        `<script>(async function poll(){const r=await fetch(${JSON.stringify(resultUrl)});const j=await r.json();` +
        `if(j.status==='toopher-api-complete'){window.parent.postMessage(JSON.stringify({status:j.status,payload:j.payload}),'*');}` +
        `else setTimeout(poll,1000);})();</script>`,
    );
  });

  // Polled by the page: the signed postback once the phone has answered (or the request timed out).
  web.get('/authenticate/:id/result', (c) => {
    const request = state.requests.get(c.req.param('id'));
    if (!request || request.sessionToken === undefined) return c.json({ status: 'unknown' }, 404);
    if (deps.requestJson(request).pending) return c.json({ status: 'pending' });
    const data = encodePostback(authenticationFields(request), consumer.secret);
    return c.json({
      status: 'toopher-api-complete',
      payload: Object.fromEntries(parseForm(data) ?? []),
      toopher_iframe_data: data,
    });
  });

  web.get('/manage_user', (c) => {
    const query = verifiedQuery(c);
    if (query instanceof Response) return query;
    const name = query.get('username') ?? '';
    const user = state.userByName(name) ?? state.createUser(name);
    const pairing = state.pairingOf(user.id);
    const data = encodePostback(
      {
        id: user.id,
        name: user.name,
        toopher_authentication_enabled: String(user.enabled),
        session_token: '',
        timestamp: String(nowSeconds()),
        resource_type: 'requester_user',
      },
      consumer.secret,
    );
    const status = pairing
      ? pairing.enabled && !pairing.deactivated
        ? 'paired'
        : pairing.pending
          ? 'pairing pending'
          : 'pairing deactivated'
      : 'not paired';
    return postbackPage(
      'Toopher: manage your account',
      data,
      `<p id="status">${escapeHtml(user.name)}: ${status}</p>`,
    );
  });

  return web;
}
