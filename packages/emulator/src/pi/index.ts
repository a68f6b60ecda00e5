/**
 * The Pi Network Platform API emulator (spec pi.md): `/v2/me`, payments, rewarded ads, in-app
 * notifications, plus emulator-only routes under `/_emulator`. See docs/pi.md.
 */
import { Hono } from 'hono';
import type { EmulatorEnv, ProviderModule } from '../types.js';
import { mountEmulatorRoutes } from './emulator-routes.js';
import { HORIZON_PATHS, mountHorizon } from './horizon.js';
import { mountPayments } from './payments.js';
import { type PiEmulatorFixtures, type PiEmulatorOptions, seededToken } from './state.js';
import {
  appFromKey,
  createWorld,
  DAY_MS,
  isObject,
  jsonBody,
  type PiWorld,
  piError,
  resetWorld,
  tokenFromBearer,
} from './world.js';

export type { PiEmulatorApp, PiEmulatorOptions, PiEmulatorUser } from './state.js';

const MAX_NOTIFICATIONS = 256;

function mountMe(app: Hono<EmulatorEnv>, world: PiWorld): void {
  app.get('/v2/me', (c) => {
    const token = tokenFromBearer(c, world);
    if (token instanceof Response) return token;
    const user = world.users.find((u) => u.uid === token.uid);
    if (!user) return c.json({ error: 'invalid_token', error_message: 'The user is gone.' }, 401);
    const validUntil = Math.floor(token.expiresAtMs / 1000);
    return c.json({
      uid: user.uid,
      ...(token.scopes.includes('username') ? { username: user.username } : {}),
      credentials: {
        scopes: token.scopes,
        valid_until: { timestamp: validUntil, iso8601: new Date(validUntil * 1000).toISOString() },
      },
    });
  });
}

function mountAds(app: Hono<EmulatorEnv>, world: PiWorld): void {
  app.get('/v2/ads_network/status/:adId', (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const adId = c.req.param('adId');
    const ad = world.ads.get(adId);
    if (!ad || ad.appId !== piApp.id) {
      return c.json(
        { error: 'ad_not_found', error_message: 'No rewarded ad with that id for this app.' },
        404,
      );
    }
    return c.json({
      identifier: adId,
      mediator_ack_status: ad.status,
      mediator_granted_at: ad.grantedAt,
      mediator_revoked_at: ad.revokedAt,
    });
  });
}

const NOTIFICATION_FIELDS = ['title', 'body', 'user_uid', 'subroute'] as const;

function mountNotifications(app: Hono<EmulatorEnv>, world: PiWorld): void {
  app.post('/v2/in_app_notifications/notify', async (c) => {
    const piApp = appFromKey(c, world);
    if (piApp instanceof Response) return piApp;
    const body = await jsonBody(c);
    const list = isObject(body) ? body.notifications : undefined;
    if (!Array.isArray(list)) return c.json({ error: 'notifications must be an array' }, 422);
    if (list.length > MAX_NOTIFICATIONS) {
      return c.json({ error: `At most ${MAX_NOTIFICATIONS} notifications per request` }, 400);
    }
    for (const [index, item] of list.entries()) {
      const bad = NOTIFICATION_FIELDS.find(
        (f) => !isObject(item) || typeof item[f] !== 'string' || item[f] === '',
      );
      if (bad) return c.json({ error: `notifications[${index}].${bad} is missing or not a string` }, 422);
      if (!String((item as Record<string, unknown>).subroute).startsWith('/')) {
        return c.json({ error: `notifications[${index}].subroute must begin with /` }, 422);
      }
    }
    const items = list as Record<(typeof NOTIFICATION_FIELDS)[number], string>[];
    const now = world.context.now();
    // Recipients who did not grant the scope are skipped silently, as Pi does.
    const deliverable = items.filter((n) =>
      world.users.some((u) => u.uid === n.user_uid && u.scopes.includes('in_app_notifications')),
    );
    const wanted = new Map<string, number>();
    for (const n of deliverable) wanted.set(n.user_uid, (wanted.get(n.user_uid) ?? 0) + 1);
    const overQuota = [...wanted].filter(([uid, count]) => {
      const sent = world.notifications.filter(
        (s) => s.appId === piApp.id && s.user_uid === uid && s.sentAtMs > now - DAY_MS,
      );
      return sent.length + count > world.settings.notificationDailyQuota;
    });
    if (overQuota.length > 0) {
      return c.json(
        { error: `Daily notification quota exceeded for users: ${overQuota.map(([uid]) => uid).join(', ')}` },
        403,
      );
    }
    const delivered = deliverable.map((n) => {
      const sent = {
        appId: piApp.id,
        id: crypto.randomUUID(),
        title: n.title,
        body: n.body,
        user_uid: n.user_uid,
        subroute: n.subroute,
        seen_at: null,
        dismissed_at: null,
        sentAtMs: now,
      };
      world.notifications.push(sent);
      const { appId: _app, sentAtMs: _at, ...dto } = sent;
      return dto;
    });
    return c.json({ success: true, delivered_notifications: delivered }, 201);
  });
}

/** The Pi module of the emulator. */
export const piModule: ProviderModule = {
  id: 'pi',
  create(context, options) {
    const world = createWorld(context, (options ?? {}) as PiEmulatorOptions);
    resetWorld(world);
    const app = new Hono<EmulatorEnv>();
    mountMe(app, world);
    mountPayments(app, world);
    mountAds(app, world);
    mountNotifications(app, world);
    mountEmulatorRoutes(app, world);
    mountHorizon(app, world, 'Pi Testnet');
    mountHorizon(app, world, 'Pi Network');
    // Unknown paths answer in the Platform API's {error, error_message} shape that Pi's SDKs read.
    app.all('*', (c) =>
      piError(
        c,
        404,
        'not_found',
        `No Pi Platform API route for ${c.req.method} ${new URL(c.req.url).pathname}.`,
      ),
    );
    const [firstApp] = world.apps;
    if (!firstApp) throw new Error('The Pi emulator needs at least one app (providerOptions.pi.apps).');
    const fixtures: PiEmulatorFixtures = {
      apiKey: firstApp.apiKey,
      horizonPaths: { ...HORIZON_PATHS },
      apps: Object.fromEntries(world.apps.map((a) => [a.id, { ...a }])),
      users: Object.fromEntries(
        world.users.map((u) => [
          u.username,
          { ...u, scopes: [...u.scopes], accessToken: seededToken(u.username) },
        ]),
      ),
    };
    return { app, fixtures, reset: () => resetWorld(world) };
  },
};
