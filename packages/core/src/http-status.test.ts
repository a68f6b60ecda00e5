import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { httpStatusForCode } from './http-status.js';

describe('httpStatusForCode', () => {
  it('answers what the table of docs/errors.md says for every code', () => {
    const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const table = new Map(
      [...docs.matchAll(/^\| `(ERR_[A-Z_]+)` \| `\w+` \| (\d{3})\b/gm)].map((m) => [m[1], Number(m[2])]),
    );
    expect([...table.keys()]).toEqual([...ERROR_CODES]);
    for (const code of ERROR_CODES) expect(httpStatusForCode(code), code).toBe(table.get(code));
  });

  it('never answers a 4xx for a failure that is not the user’s or the caller’s', () => {
    for (const code of [
      'ERR_CONFIG',
      'ERR_PROVIDER_UNAUTHORIZED',
      'ERR_PROVIDER_SERVER',
      'ERR_NETWORK',
      'ERR_STORE',
    ] as const)
      expect(httpStatusForCode(code)).toBeGreaterThanOrEqual(500);
    expect(httpStatusForCode('ERR_CREDENTIAL_REPLAYED')).toBe(401);
    expect(httpStatusForCode('ERR_INVALID_ARGUMENT')).toBe(400);
  });
});
