/**
 * In-app notifications (spec §3.9, documented only in a draft): at most 256 per request and 48 per
 * Pioneer per 24 h; Pioneers without the `in_app_notifications` scope are silently skipped, so the
 * answer lists only what was delivered. Never retried: a repeat would spend quota twice.
 */
import { type CallOptions, InvalidArgumentError } from '@authbridge/core';
import { requireString, type ServerRequest } from './server-api.js';
import { type PiDeliveredNotification, PiNotifyResultSchema } from './wire.js';

/** One notification to send. */
export interface PiNotification {
  /** The recipient's app-scoped uid. */
  uid: string;
  title: string;
  body: string;
  /** The path inside your app the notification opens; Pi requires a leading `/`. */
  subroute: string;
}

/** The notification calls of a {@link PiProvider}. */
export interface PiNotifications {
  /**
   * Sends in-app notifications (`POST /v2/in_app_notifications/notify`) and resolves to those Pi
   * delivered. Never retried.
   *
   * Errors: `ERR_INVALID_ARGUMENT` (not an array of notifications), `ERR_CONFIG` (key rejected), `ERR_PROVIDER_BAD_REQUEST`
   * (over 256, or a field Pi refuses, 422), `ERR_PROVIDER_FORBIDDEN` (daily quota of a recipient
   * spent), `ERR_PROVIDER_SERVER`, `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const delivered = await piApp.notifications.send([
   *   { uid, title: 'Order shipped', body: 'Your order is on its way', subroute: '/orders/7' },
   * ]);
   * ```
   */
  send(notifications: PiNotification[], options?: CallOptions): Promise<PiDeliveredNotification[]>;
}

/** Builds the notification calls on a Key-authenticated request function. */
export function createNotifications(request: ServerRequest): PiNotifications {
  return {
    send: async (notifications, options) => {
      if (!Array.isArray(notifications) || notifications.length === 0) {
        throw new InvalidArgumentError('Pi notifications must be a non-empty array.', { provider: 'pi' });
      }
      const wire = notifications.map((n) => ({
        title: requireString('notification title', n?.title),
        body: requireString('notification body', n?.body),
        user_uid: requireString('notification uid', n?.uid),
        subroute: requireString('notification subroute', n?.subroute),
      }));
      const result = await request({
        method: 'POST',
        path: 'v2/in_app_notifications/notify',
        json: { notifications: wire },
        schema: PiNotifyResultSchema,
        retry: false,
        signal: options?.signal,
      });
      return result.delivered_notifications;
    },
  };
}
