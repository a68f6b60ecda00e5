import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Every bare module the file imports, following relative imports through the package. */
function bareImports(file: string, seen = new Set<string>()): Set<string> {
  const bare = new Set<string>();
  if (seen.has(file)) return bare;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    if (!specifier) continue;
    if (specifier.startsWith('.')) {
      for (const dep of bareImports(join(dirname(file), specifier.replace(/\.js$/, '.ts')), seen))
        bare.add(dep);
    } else bare.add(specifier);
  }
  return bare;
}

it('the main entry point never loads ethers; token-ownership does', () => {
  const main = bareImports(join(here, 'index.ts'));
  expect([...main].filter((m) => m.startsWith('ethers'))).toEqual([]);
  expect(main.has('@noble/curves/secp256k1.js')).toBe(true);
  expect(bareImports(join(here, 'token-ownership.ts')).has('ethers')).toBe(true);
});
