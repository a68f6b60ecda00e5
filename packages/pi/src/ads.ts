/**
 * Rewarded-ad verification (spec §3.8): the frontend's `adId` is only a claim until Pi's ad network
 * says the mediator granted the reward.
 */
import type { CallOptions } from '@authbridge/core';
import { pathSegment, type ServerRequest } from './server-api.js';
import { type PiRewardedAdStatus, PiRewardedAdStatusSchema } from './wire.js';

/** The ad calls of a {@link PiProvider}. */
export interface PiAds {
  /**
   * The status of a rewarded ad (`GET /v2/ads_network/status/{adId}`). Grant the reward only when
   * `mediator_ack_status === 'granted'`. Safe to retry.
   *
   * Errors: `ERR_INVALID_ARGUMENT` (malformed id), `ERR_CONFIG` (key rejected), `ERR_PROVIDER_NOT_FOUND`, `ERR_PROVIDER_*`,
   * `ERR_NETWORK`, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_UNEXPECTED_RESPONSE`.
   *
   * @example
   * ```ts
   * const ad = await piApp.ads.status(adId);
   * if (ad.mediator_ack_status === 'granted') await grantReward(user);
   * ```
   */
  status(adId: string, options?: CallOptions): Promise<PiRewardedAdStatus>;
}

/** Builds the ad calls on a Key-authenticated request function. */
export function createAds(request: ServerRequest): PiAds {
  return {
    status: async (adId, options) =>
      request({
        method: 'GET',
        path: `v2/ads_network/status/${pathSegment('ad id', adId)}`,
        schema: PiRewardedAdStatusSchema,
        signal: options?.signal,
      }),
  };
}
