import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('loads ky only on the first request: no core module imports it statically', () => {
  const dir = new URL('./', import.meta.url);
  const offenders = readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.bench.ts'))
    .filter((name) => {
      const source = readFileSync(new URL(name, dir), 'utf8');
      // `import type ... from 'ky'` is erased; `import('ky')` is the lazy load.
      return /^import(?!\s+type\b)[^;]*from\s+['"]ky['"]/m.test(source);
    });
  expect(offenders).toEqual([]);
  expect(readFileSync(new URL('http-attempt.ts', dir), 'utf8')).toContain("import('ky')");
});
