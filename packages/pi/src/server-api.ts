/**
 * The one way this package calls a Key-authenticated route: the server API key in the
 * `Authorization: Key` header (the bare key is refused by Pi), a 401 mapped to `ERR_CONFIG` (see
 * `keyRejection`), and path segments checked (`ERR_INVALID_ARGUMENT`) before they reach a URL.
 */
import { type HttpClient, type HttpRequest, InvalidArgumentError } from '@authbridge/core';
import type * as v from 'valibot';
import { keyRejection } from './errors.js';

/** Sends one Key-authenticated request and parses the answer with `schema`. */
export type ServerRequest = <S extends v.GenericSchema>(
  request: Omit<HttpRequest<S>, 'headers' | 'responseType'> & { schema: S },
) => Promise<v.InferOutput<S>>;

/** Binds the HTTP client to the app's server API key. */
export function createServerRequest(http: HttpClient, apiKey: string): ServerRequest {
  const authorization = `Key ${apiKey}`;
  return async (request) => {
    try {
      return await http.request({ ...request, headers: { authorization } });
    } catch (error) {
      throw keyRejection(error, request);
    }
  };
}

// Payment and ad ids are short alphanumerics; anything else could step out of the route (`..`).
const PATH_SEGMENT = /^[A-Za-z0-9_-]{1,128}$/;

/** `value` as a URL path segment, or `ERR_INVALID_ARGUMENT` naming `name` (never echoing the value). */
export function pathSegment(name: string, value: unknown): string {
  if (typeof value !== 'string' || !PATH_SEGMENT.test(value)) {
    throw new InvalidArgumentError(`The Pi ${name} must be 1-128 letters, digits, '-' or '_'.`, {
      provider: 'pi',
    });
  }
  return value;
}

/** Throws `ERR_INVALID_ARGUMENT` unless `value` is a non-empty string. */
export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(`The Pi ${name} must be a non-empty string.`, { provider: 'pi' });
  }
  return value;
}
