#!/usr/bin/env node
// Checks every publishable package as it would be published: publint on the packed package,
// @arethetypeswrong/cli on the tarball, and src/version.ts equal to package.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const packs = join(root, '.artifacts', 'pack');
rmSync(packs, { recursive: true, force: true });
mkdirSync(packs, { recursive: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
// pnpm rewrites workspace:* ranges when packing; run the pinned version whether or not pnpm is on PATH.
const pnpm = ['npx', ['--yes', 'pnpm@10.34.9']];
const failures = [];
const run = (label, command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) failures.push(label);
};

run('package files', 'node', [join(root, 'scripts', 'package-files.mjs')], root);

for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  console.log(`\n== ${manifest.name}`);
  const versionFile = join(dir, 'src', 'version.ts');
  if (existsSync(versionFile) && !readFileSync(versionFile, 'utf8').includes(`'${manifest.version}'`)) {
    console.error(`src/version.ts does not say ${manifest.version}`);
    failures.push(`${manifest.name}: version.ts`);
  }
  run(`${manifest.name}: publint`, bin('publint'), ['--strict', '--pack', 'npm'], dir);
  const before = new Set(readdirSync(packs));
  spawnSync(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', packs], { cwd: dir, stdio: 'ignore' });
  const tarball = readdirSync(packs).find((file) => !before.has(file));
  if (!tarball) {
    failures.push(`${manifest.name}: pack`);
    continue;
  }
  // Profile node16: every package needs Node 20.19+, so the pre-exports node10 resolution of subpaths
  // such as @authbridge/magic/token-ownership does not apply.
  run(
    `${manifest.name}: attw`,
    bin('attw'),
    [join(packs, tarball), '--format', 'table-flipped', '--profile', 'node16'],
    dir,
  );
}

if (failures.length > 0) {
  console.error(`\npnpm check failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\npnpm check: every package passes publint and @arethetypeswrong/cli.');
