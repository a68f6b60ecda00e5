import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AuthBridgeError,
  ConfigurationError,
  ERROR_CODES,
  errorDocsPath,
  InvalidArgumentError,
  InvalidCredentialError,
  isAuthBridgeError,
  NetworkError,
  ProviderRequestError,
  providerCodeForStatus,
  StoreError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';

describe('AuthBridgeError', () => {
  it('carries code, provider, status, retryable, providerCode, data and a docs path', () => {
    const cause = new Error('inner');
    const error = new ProviderRequestError('pi answered 404', {
      provider: 'pi',
      status: 404,
      providerCode: 'payment_not_found',
      data: { identifier: 'p1' },
      cause,
    });
    expect(error).toBeInstanceOf(AuthBridgeError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProviderRequestError');
    expect(error.code).toBe('ERR_PROVIDER_NOT_FOUND');
    expect(error.provider).toBe('pi');
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
    expect(error.providerCode).toBe('payment_not_found');
    expect(error.data).toEqual({ identifier: 'p1' });
    expect(error.cause).toBe(cause);
    expect(error.docsPath).toBe('@authbridge/core/docs/errors.md#err_provider_not_found');
    expect(error.message).toContain('See @authbridge/core/docs/errors.md#err_provider_not_found');
  });

  it('puts details after the short message', () => {
    const error = new ConfigurationError('secretKey is missing.', { details: 'Pass magic({ secretKey }).' });
    expect(error.shortMessage).toBe('secretKey is missing.');
    expect(error.message).toMatch(/^secretKey is missing\.\n\nDetails: Pass magic/);
    expect(error.provider).toBe('core');
  });

  it('serializes to JSON without the cause or data', () => {
    const error = new NetworkError('connection refused', {
      provider: 'magic',
      cause: new Error('secret-ish'),
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: 'NetworkError',
      code: 'ERR_NETWORK',
      provider: 'magic',
      retryable: true,
      message: 'connection refused',
      docsPath: '@authbridge/core/docs/errors.md#err_network',
    });
  });

  it.each([
    [new ConfigurationError('x'), 'ERR_CONFIG', false],
    [new InvalidArgumentError('x'), 'ERR_INVALID_ARGUMENT', false],
    [new InvalidCredentialError('ERR_CREDENTIAL_EXPIRED', 'x'), 'ERR_CREDENTIAL_EXPIRED', false],
    [new NetworkError('x'), 'ERR_NETWORK', true],
    [new TimeoutError('x'), 'ERR_TIMEOUT', true],
    [new AbortedError('x'), 'ERR_ABORTED', false],
    [
      new UnexpectedResponseError('x', { status: 200, bodyExcerpt: '<html>' }),
      'ERR_UNEXPECTED_RESPONSE',
      false,
    ],
    [new StoreError('x'), 'ERR_STORE', true],
  ] as const)('%s has code %s and retryable %s', (error, code, retryable) => {
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(ERROR_CODES).toContain(code);
  });

  it('marks 408, 429 and 5xx provider errors retryable and keeps retryAfter', () => {
    expect(new ProviderRequestError('x', { status: 408 }).retryable).toBe(true);
    const limited = new ProviderRequestError('x', { status: 429, retryAfter: 3 });
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfter).toBe(3);
    expect(new ProviderRequestError('x', { status: 502 }).retryable).toBe(true);
    expect(new ProviderRequestError('x', { status: 400 }).retryable).toBe(false);
  });

  it('maps every status class onto its code', () => {
    expect([400, 401, 403, 404, 409, 422, 429, 500, 503, 418, 451].map(providerCodeForStatus)).toEqual([
      'ERR_PROVIDER_BAD_REQUEST',
      'ERR_PROVIDER_UNAUTHORIZED',
      'ERR_PROVIDER_FORBIDDEN',
      'ERR_PROVIDER_NOT_FOUND',
      'ERR_PROVIDER_CONFLICT',
      'ERR_PROVIDER_BAD_REQUEST',
      'ERR_PROVIDER_RATE_LIMITED',
      'ERR_PROVIDER_SERVER',
      'ERR_PROVIDER_SERVER',
      'ERR_PROVIDER_REQUEST',
      'ERR_PROVIDER_REQUEST',
    ]);
  });

  it('lists every code once, each with a docs anchor', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES)
      expect(errorDocsPath(code)).toBe(`@authbridge/core/docs/errors.md#${code.toLowerCase()}`);
  });

  it('has exactly one entry in docs/errors.md per code, in the same order', () => {
    const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const headings = [...docs.matchAll(/^## (err_[a-z_]+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(ERROR_CODES.map((code) => code.toLowerCase()));
  });

  it('keeps retryAfter, bodyExcerpt and the docs path in toJSON, never the cause or provider data', () => {
    const limited = new ProviderRequestError('slow down', {
      provider: 'pi',
      status: 429,
      retryAfter: 3,
      data: { payment: 'kept off logs' },
      cause: new Error('inner'),
    });
    expect(limited.toJSON()).toMatchObject({
      code: 'ERR_PROVIDER_RATE_LIMITED',
      retryAfter: 3,
      docsPath: '@authbridge/core/docs/errors.md#err_provider_rate_limited',
    });
    const odd = new UnexpectedResponseError('not JSON', {
      provider: 'magic',
      status: 200,
      bodyExcerpt: '<html>',
    });
    expect(odd.toJSON()).toMatchObject({ status: 200, bodyExcerpt: '<html>' });
    const text = JSON.stringify(limited);
    expect(text).not.toContain('kept off logs');
    expect(text).not.toContain('inner');
  });
});

describe('isAuthBridgeError', () => {
  it('recognizes errors by brand and filters by code', () => {
    const error = new InvalidCredentialError('ERR_CREDENTIAL_SIGNATURE', 'bad signature', {
      provider: 'magic',
    });
    expect(isAuthBridgeError(error)).toBe(true);
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_EXPIRED', 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_EXPIRED')).toBe(false);
  });

  it('recognizes an error from another installed copy, which fails instanceof', () => {
    // Another copy of this package defines its own classes but brands with the same global symbol.
    const foreign = Object.assign(new Error('other copy'), { code: 'ERR_TIMEOUT' });
    Object.defineProperty(foreign, Symbol.for('authbridge.error'), { value: true });
    expect(foreign instanceof AuthBridgeError).toBe(false);
    expect(isAuthBridgeError(foreign, 'ERR_TIMEOUT')).toBe(true);
  });

  it('rejects look-alikes and non-objects', () => {
    expect(isAuthBridgeError(Object.assign(new Error('x'), { code: 'ERR_TIMEOUT' }))).toBe(false);
    expect(isAuthBridgeError(null)).toBe(false);
    expect(isAuthBridgeError('ERR_TIMEOUT')).toBe(false);
    expect(isAuthBridgeError(undefined)).toBe(false);
  });
});
