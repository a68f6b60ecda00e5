#!/usr/bin/env node
// Copies pages of the root docs/ into the current package's docs/ before it is packed, so what a
// package's errors and README point at is inside its tarball (`node ../../scripts/copy-docs.mjs errors.md`).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const docs = join(import.meta.dirname, '..', 'docs');
mkdirSync('docs', { recursive: true });
for (const page of process.argv.slice(2)) copyFileSync(join(docs, page), join('docs', page));
