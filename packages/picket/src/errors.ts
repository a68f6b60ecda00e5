/**
 * How Picket's error bodies become authbridge errors.
 *
 * Every non-2xx answer is a `ProviderRequestError` that keeps Picket's `code` in `providerCode`. The
 * sign-in paths then re-type the answers that are about the user's credential (a bad signature, a
 * token that no longer validates, a wallet that fails token gating), because an app answers those
 * with 401/403 rather than a 5xx.
 */
import {
  type AuthBridgeError,
  type InvalidCredentialCode,
  InvalidCredentialError,
  isAuthBridgeError,
  type ParsedProviderError,
  REDACTED,
} from '@authbridge/core';
import * as v from 'valibot';
import { ErrorBody } from './wire.js';

/** Picket `code` values documented for errors (spec §6); the list in the docs is cut off, so others occur. */
export type PicketErrorCode =
  | 'account_exists'
  | 'api_key_invalid'
  | 'authentication_required'
  | 'parameter_invalid'
  | 'resource_not_found'
  | 'permission_denied'
  | (string & {});

/** What a Picket error keeps in `data`: the provider's own message, without any secret the call sent. */
export interface PicketErrorData {
  msg: string;
}

/** Cuts each of `secrets` (empty ones skipped) out of `text`. */
function hide(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join(REDACTED) : out), text);
}

/**
 * Reads `{ msg, code }` bodies. A bare JSON string (picket-python's "unknown error" case) becomes the
 * message; any other body leaves the status to speak. The request's `secretValues` are cut from the
 * message kept in `data`: the API key, its Basic form and the credential the call carried (an access
 * token, a signature), since Picket's `msg` may echo the value it refused. Nothing else is cut, so
 * that the phrases the credential mapping reads survive. Internal: not exported from the package.
 *
 * @internal
 */
export function parsePicketError({
  body,
  secretValues,
}: {
  body: unknown;
  secretValues: readonly string[];
}): ParsedProviderError | undefined {
  const parsed = v.safeParse(ErrorBody, body);
  const raw = parsed.success
    ? parsed.output.msg
    : typeof body === 'string' && body.length > 0
      ? body
      : undefined;
  if (raw === undefined) return undefined;
  const msg = hide(raw, secretValues);
  const data: PicketErrorData = { msg };
  return { message: msg, providerCode: parsed.success ? parsed.output.code : undefined, data };
}

function providerMessage(error: AuthBridgeError): string {
  const data = error.data as Partial<PicketErrorData> | undefined;
  return typeof data?.msg === 'string' ? data.msg : '';
}

function credentialCodeFor(error: AuthBridgeError): InvalidCredentialCode | undefined {
  const status = error.status;
  if (status === undefined || status < 400 || status >= 500 || status === 429) return undefined;
  const msg = providerMessage(error);
  // A rejected API key is the app's problem, never the user's: keep it a provider error.
  if (error.providerCode === 'api_key_invalid' || /project key|api key/i.test(msg)) return undefined;
  // picket-js matches these phrases too (spec §6): Picket's codes alone do not separate the cases.
  if (/invalid signature/i.test(msg)) return 'ERR_CREDENTIAL_SIGNATURE';
  if (/expired/i.test(msg)) return 'ERR_CREDENTIAL_EXPIRED';
  if (status === 403 || error.providerCode === 'permission_denied') return 'ERR_CREDENTIAL_REJECTED';
  if (/access token/i.test(msg)) return 'ERR_CREDENTIAL_REJECTED';
  return undefined;
}

/**
 * Re-types a provider answer about the user's credential as an `InvalidCredentialError`, keeping the
 * status, Picket's code and the original error as `cause`. Anything else is returned unchanged.
 * Internal: not exported from the package.
 *
 * @internal
 */
export function asCredentialError(error: unknown): unknown {
  if (
    !isAuthBridgeError(
      error,
      'ERR_PROVIDER_BAD_REQUEST',
      'ERR_PROVIDER_UNAUTHORIZED',
      'ERR_PROVIDER_FORBIDDEN',
      'ERR_PROVIDER_REQUEST',
    )
  ) {
    return error;
  }
  const code = credentialCodeFor(error);
  if (!code) return error;
  return new InvalidCredentialError(code, error.shortMessage, {
    provider: 'picket',
    status: error.status,
    providerCode: error.providerCode,
    data: error.data,
    cause: error,
  });
}
