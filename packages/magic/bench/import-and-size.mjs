// The speed and size figures against @magic-sdk/admin, as ratios next to their targets:
// first-time validate (pure JS, native), cached repeat validation (read from the JSON report that
// `vitest bench --run --outputJson …` wrote just before, see package.json "bench"), then cold
// import time (each import in a fresh Node process) and installed size, measured here.
// Needs the build (`dist/`); the root `pnpm bench` builds first.
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

const VALIDATE_REPORT = join(packageRoot, '../../.artifacts/bench/magic-validate.json');
const OFFICIAL = '@magic-sdk/admin token.validate';

/** Median ops/s of each bench, by group and name, from vitest's JSON report. */
function validateRates() {
  if (!existsSync(VALIDATE_REPORT)) return undefined;
  const report = JSON.parse(readFileSync(VALIDATE_REPORT, 'utf8'));
  const groups = {};
  for (const file of report.files ?? []) {
    for (const group of file.groups ?? []) {
      const name = group.fullName.split(' > ').at(-1);
      groups[name] = Object.fromEntries(group.benchmarks.map((b) => [b.name, 1000 / b.median]));
    }
  }
  return groups;
}

if (!existsSync(join(packageRoot, 'dist/index.js'))) {
  console.error('dist/index.js is missing: build first (`pnpm build`, or the root `pnpm bench`).');
  process.exit(1);
}
const ours = pathToFileURL(join(packageRoot, 'dist/index.js')).href;
const theirs = pathToFileURL(join(packageDir('@magic-sdk/admin', packageRoot), 'dist/esm/index.js')).href;
const oursMs = coldImportMs(ours);
const theirsMs = coldImportMs(theirs);
const oursSize = installedSize(packageRoot);
const theirsSize = installedSize(packageDir('@magic-sdk/admin', packageRoot));
const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
const x = (n) => `${n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)}x`;
const rows = [];
const rates = validateRates();
const first = rates?.['first-time validate'];
const repeat = rates?.['repeat validation of one token'];
const rateRow = (label, group, name, target) => {
  const official = group?.[OFFICIAL];
  const mine = group?.[name];
  rows.push(
    official && mine
      ? [
          label,
          `${mine.toFixed(0)} ops/s vs ${official.toFixed(0)} ops/s`,
          x(mine / official),
          `>= ${target}x`,
          mine / official >= target,
        ]
      : [label, 'not measured', '-', `>= ${target}x`, false],
  );
};
rateRow('first-time validate, pure JS', first, '@authbridge/magic token.validate (pure JS)', 1.1);
rateRow('first-time validate, native', first, '@authbridge/magic token.validate (native)', 10);
rateRow('repeat validation, cached', repeat, '@authbridge/magic token.validate (cached)', 100);
rows.push([
  'cold import time',
  `${oursMs.toFixed(1)} ms vs ${theirsMs.toFixed(1)} ms`,
  x(theirsMs / oursMs),
  '>= 3x',
  theirsMs / oursMs >= 3,
]);
rows.push([
  'installed size',
  `${mb(oursSize.bytes)} (${oursSize.packages} pkgs) vs ${mb(theirsSize.bytes)} (${theirsSize.packages} pkgs)`,
  x(theirsSize.bytes / oursSize.bytes),
  '>= 5x',
  theirsSize.bytes / oursSize.bytes >= 5,
]);
if (!rates)
  console.log(`(no validate report at ${VALIDATE_REPORT}: run \`pnpm bench\` for the validate rows)`);
console.log(
  `\n@authbridge/magic vs @magic-sdk/admin (node ${process.version}, ${process.platform}-${process.arch}; rates are medians, import the median of ${RUNS} fresh processes)`,
);
const widths = [30, 48, 8, 8];
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['measure', '@authbridge/magic vs @magic-sdk/admin', 'ratio', 'target']) + '  met');
for (const [label, values, ratio, target, met] of rows)
  console.log(`${line([label, values, ratio, target])}  ${met ? 'yes' : 'NO'}`);
// One RATIO line per figure, the form scripts/bench-report.mjs collects from a whole `pnpm bench` run.
for (const [label, values, ratio, target, met] of rows) {
  const name = `magic.${label.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`;
  const value = ratio === '-' ? 'n/a' : ratio;
  console.log(
    `RATIO name=${name} value=${value} target${target.replace(/\s+/g, '')} met=${met ? 'yes' : 'no'} (${values})`,
  );
}
