export type { PiA2U, PiRecovery, PiWalletOptions } from './a2u.js';
export type { PiAds } from './ads.js';
export {
  isPiError,
  type PiErrorCode,
  type PiErrorData,
  paymentOf,
  verificationErrorOf,
} from './errors.js';
export {
  type HorizonResultCodes,
  PI_HORIZON_URLS,
  type PiNetwork,
  resultCodesOf,
} from './horizon.js';
export type { PiNotification, PiNotifications } from './notifications.js';
export type { PiCreatePaymentInput, PiPayments } from './payments.js';
export { PI_API_URL, type PiOptions, type PiProvider, pi } from './pi.js';
export type { PiAuthResult, PiClaims, PiVerifyCacheOptions } from './verify.js';
export { VERSION } from './version.js';
export {
  PI_TEXT_MAX_LENGTH,
  type PiDeliveredNotification,
  PiDeliveredNotificationSchema,
  PiErrorBodySchema,
  PiIncompleteServerPaymentsSchema,
  PiNotifyResultSchema,
  type PiPayment,
  PiPaymentSchema,
  type PiPaymentStatus,
  PiPaymentStatusSchema,
  type PiRewardedAdStatus,
  PiRewardedAdStatusSchema,
  type PiTransaction,
  PiTransactionSchema,
  type PiUser,
  PiUserSchema,
  PiValidUntilSchema,
} from './wire.js';
