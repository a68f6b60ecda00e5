#!/usr/bin/env node
// Copies pages of the root docs/ into the current package's docs/ before it is packed, so what a
// package's errors and README point at is inside its tarball (`node ../../scripts/copy-docs.mjs errors.md`).
// CI packs a package from two checks at once: a page is replaced by a rename, never rewritten in place,
// so a pack running beside this one never reads half a file.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const docs = join(import.meta.dirname, '..', 'docs');
mkdirSync('docs', { recursive: true });
for (const page of process.argv.slice(2)) {
  const text = readFileSync(join(docs, page), 'utf8');
  const target = join('docs', page);
  if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, target);
}
