#!/usr/bin/env node
// After `changeset version` bumps package.json versions, writes each package's src/version.ts to match
// (pnpm check fails while they differ).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishablePackages } from './package-files.mjs';

for (const { dir, manifest } of publishablePackages()) {
  const file = join(dir, 'src', 'version.ts');
  if (!existsSync(file)) continue;
  const before = readFileSync(file, 'utf8');
  const after = before.replace(
    /export const VERSION = '[^']*';/,
    `export const VERSION = '${manifest.version}';`,
  );
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`${manifest.name}: src/version.ts says ${manifest.version}`);
  }
}
