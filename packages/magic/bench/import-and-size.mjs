// Cold import time and installed size of @authbridge/magic against @magic-sdk/admin.
// Run after `npx tsup`: `node bench/import-and-size.mjs`. Each import is timed in a fresh Node process.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const RUNS = Number(process.env.RUNS ?? 15);

/** Node's lookup: the nearest node_modules/<name> going up from `fromDir` (exports maps ignored). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return realpathSync(dirname(candidate));
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
}

/** Bytes of the files a registry install would put on disk: the `files` list if the package has one. */
function bytesOf(dir, onlyFiles) {
  let total = 0;
  const walk = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') walk(join(path, entry));
    } else total += stat.size;
  };
  if (onlyFiles) {
    for (const entry of [...onlyFiles, 'package.json']) {
      try {
        walk(join(dir, entry));
      } catch {}
    }
  } else walk(dir);
  return total;
}

/** The package and its production dependencies, each counted once. */
function installedSize(rootDir) {
  const seen = new Map();
  const visit = (pkgName, from) => {
    let dir;
    try {
      dir = pkgName ? packageDir(pkgName, from) : from;
    } catch {
      return; // an optional dependency that is not installed
    }
    if (seen.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    seen.set(dir, bytesOf(dir, manifest.name?.startsWith('@authbridge/') ? manifest.files : undefined));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  visit(undefined, rootDir);
  return { bytes: [...seen.values()].reduce((a, b) => a + b, 0), packages: seen.size };
}

function coldImportMs(specifier) {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: packageRoot });
    times.push(Number(out.toString().trim()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const ours = pathToFileURL(join(packageRoot, 'dist/index.js')).href;
const theirs = pathToFileURL(join(packageDir('@magic-sdk/admin', packageRoot), 'dist/esm/index.js')).href;
const oursMs = coldImportMs(ours);
const theirsMs = coldImportMs(theirs);
const oursSize = installedSize(packageRoot);
const theirsSize = installedSize(packageDir('@magic-sdk/admin', packageRoot));
const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
console.log(
  `cold import (median of ${RUNS} fresh processes): @authbridge/magic ${oursMs.toFixed(1)} ms, @magic-sdk/admin ${theirsMs.toFixed(1)} ms → ${(theirsMs / oursMs).toFixed(1)}x faster (${((oursMs / theirsMs) * 100).toFixed(0)}% of its time)`,
);
console.log(
  `installed size (package + production dependencies): @authbridge/magic ${mb(oursSize.bytes)} in ${oursSize.packages} packages, @magic-sdk/admin ${mb(theirsSize.bytes)} in ${theirsSize.packages} packages → ${(theirsSize.bytes / oursSize.bytes).toFixed(1)}x smaller`,
);
