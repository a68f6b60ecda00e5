/**
 * Valibot schemas of the JSON the Pi Platform API sends (spec §4). Fields Pi added later
 * (`from_address`, `direction`, `network`), fields it leaves out (`username`) and a payment's
 * `transaction` are optional (spec §9);
 * unknown extra fields are allowed, so a new field on Pi's side never breaks a login.
 */
import * as v from 'valibot';

/** A scope a Pioneer can grant an app; unknown future scopes pass through as strings. */
export const PiScopeSchema = v.string();

/** `credentials.valid_until` of `/v2/me`: unix seconds and the same instant as ISO-8601. */
export const PiValidUntilSchema = v.object({
  timestamp: v.pipe(v.number(), v.finite()),
  iso8601: v.string(),
});

/**
 * The longest uid or username accepted from Pi, in characters. Pi's uids are UUIDs and its usernames
 * short handles; a longer value is an unexpected response, never a subject.
 */
export const PI_TEXT_MAX_LENGTH = 256;

/** `UserDTO`, the answer of `GET /v2/me`. */
export const PiUserSchema = v.object({
  uid: v.pipe(v.string(), v.minLength(1), v.maxLength(PI_TEXT_MAX_LENGTH)),
  username: v.optional(v.pipe(v.string(), v.maxLength(PI_TEXT_MAX_LENGTH))),
  credentials: v.object({
    scopes: v.array(PiScopeSchema),
    valid_until: PiValidUntilSchema,
  }),
  roles: v.optional(v.array(v.string())),
  preferred_language: v.optional(v.string()),
});
/** A Pioneer as `/v2/me` returns them (validated). */
export type PiUser = v.InferOutput<typeof PiUserSchema>;

/** The flags of a payment's lifecycle (spec §6.3). */
export const PiPaymentStatusSchema = v.object({
  developer_approved: v.boolean(),
  transaction_verified: v.boolean(),
  developer_completed: v.boolean(),
  cancelled: v.boolean(),
  user_cancelled: v.boolean(),
});
/** The status flags of a payment (validated). */
export type PiPaymentStatus = v.InferOutput<typeof PiPaymentStatusSchema>;

/** The blockchain transaction linked to a payment. */
export const PiTransactionSchema = v.object({
  txid: v.string(),
  verified: v.boolean(),
  _link: v.string(),
});
/** The blockchain transaction linked to a payment, when there is one (validated). */
export type PiTransaction = v.InferOutput<typeof PiTransactionSchema>;

/** `PaymentDTO`. */
export const PiPaymentSchema = v.object({
  identifier: v.pipe(v.string(), v.minLength(1)),
  user_uid: v.string(),
  amount: v.pipe(v.number(), v.finite()),
  memo: v.string(),
  metadata: v.record(v.string(), v.unknown()),
  from_address: v.optional(v.string()),
  to_address: v.string(),
  direction: v.optional(v.picklist(['user_to_app', 'app_to_user'])),
  created_at: v.string(),
  network: v.optional(v.string()),
  status: PiPaymentStatusSchema,
  // Null until a tx is linked; spec §9 says to tolerate the key being absent too, read as null.
  transaction: v.optional(v.nullable(PiTransactionSchema), null),
});
/** A payment (`PaymentDTO`) as the Platform API returns it (validated). */
export type PiPayment = v.InferOutput<typeof PiPaymentSchema>;

/** The wrapper `GET /v2/payments/incomplete_server_payments` answers with. */
export const PiIncompleteServerPaymentsSchema = v.object({
  incomplete_server_payments: v.array(PiPaymentSchema),
});

/** `RewardedAdStatusDTO`, the answer of `GET /v2/ads_network/status/{adId}`. */
export const PiRewardedAdStatusSchema = v.object({
  identifier: v.string(),
  mediator_ack_status: v.nullable(v.picklist(['granted', 'revoked', 'failed'])),
  mediator_granted_at: v.nullable(v.string()),
  mediator_revoked_at: v.nullable(v.string()),
});
/** The status of a rewarded ad (validated). */
export type PiRewardedAdStatus = v.InferOutput<typeof PiRewardedAdStatusSchema>;

/** One notification as delivered by `POST /v2/in_app_notifications/notify`. */
export const PiDeliveredNotificationSchema = v.object({
  id: v.string(),
  title: v.string(),
  body: v.string(),
  user_uid: v.string(),
  subroute: v.string(),
  seen_at: v.nullable(v.string()),
  dismissed_at: v.nullable(v.string()),
});
/** One notification the Platform API delivered (validated). */
export type PiDeliveredNotification = v.InferOutput<typeof PiDeliveredNotificationSchema>;

/** The 201 answer of the notify endpoint. */
export const PiNotifyResultSchema = v.object({
  success: v.boolean(),
  delivered_notifications: v.array(PiDeliveredNotificationSchema),
});

/**
 * Pi's error body. Payment routes send a snake_case `error` code with `error_message`, sometimes a
 * `payment` or a `verification_error`; the notify route sends only `error`, as a human message.
 */
export const PiErrorBodySchema = v.object({
  error: v.string(),
  error_message: v.optional(v.string()),
  payment: v.optional(v.unknown()),
  verification_error: v.optional(v.string()),
});
