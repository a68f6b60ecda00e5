#!/usr/bin/env node
// The runtime matrix: every suite under packages/*/test/runtime/*.ts, bundled once per runtime with
// esbuild (platform neutral: a Node built-in in a package's code fails the bundle), run on Node, Deno,
// Bun, workerd and edge-runtime at once. The runtimes come from npm (scripts/runtimes/package.json,
// installed here with `npm ci`). `--only deno,bun` runs some of them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..', '..');
const out = join(root, '.artifacts', 'runtimes');
const bin = (name) => join(here, 'node_modules', '.bin', name);
const started = Date.now();
const TIMEOUT_MS = 180_000;

function install() {
  const lock = readFileSync(join(here, 'package-lock.json'), 'utf8');
  const stamp = join(here, 'node_modules', '.installed-lock');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return;
  const at = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: here,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm ci of the runtimes failed');
  writeFileSync(stamp, lock);
  console.log(`runtimes installed from npm in ${((Date.now() - at) / 1000).toFixed(1)} s`);
}

/** Every runtime suite of every package. */
function suites() {
  const packages = join(root, 'packages');
  return readdirSync(packages)
    .sort()
    .flatMap((name) => {
      const dir = join(packages, name, 'test', 'runtime');
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((file) => file.endsWith('.ts'))
        .sort()
        .map((file) => join(dir, file));
    });
}

/** `@authbridge/<name>` resolves to its source, as in the vitest configuration, so no build is needed. */
const workspacePlugin = {
  name: 'authbridge-workspace',
  setup(build) {
    build.onResolve({ filter: /^@authbridge\/[^/]+(\/.+)?$/ }, ({ path }) => {
      const [, name, entry] = /^@authbridge\/([^/]+)(?:\/(.+))?$/.exec(path);
      const file = join(root, 'packages', name, 'src', `${entry ?? 'index'}.ts`);
      return existsSync(file) ? { path: file } : undefined;
    });
    build.onResolve({ filter: /^authbridge-runtime-test$/ }, () => ({ path: join(here, 'harness.ts') }));
  },
};

/** How each runtime is started on its bundle, and what its bundle's entry does with the summary. */
const LINE = 'AUTHBRIDGE-RUNTIME-SUMMARY';
const printing = `const summary = await run();\nconsole.log('${LINE} ' + JSON.stringify(summary));\n`;
const runtimes = {
  node: { entry: printing, command: () => ['node', ['bundle.mjs']] },
  deno: {
    entry: printing,
    command: () => [bin('deno'), ['run', '--no-prompt', '--no-config', 'bundle.mjs']],
  },
  bun: { entry: printing, command: () => [bin('bun'), ['bundle.mjs']] },
  workerd: {
    // `workerd test` calls the test handler of every service; console output goes to stderr.
    entry: `export default {\n  async test() {\n    ${printing.replace(/\n/g, '\n    ')}if (summary.failed > 0) throw new Error('runtime tests failed');\n  },\n};\n`,
    command: (dir) => {
      writeFileSync(
        join(dir, 'config.capnp'),
        [
          'using Workerd = import "/workerd/workerd.capnp";',
          'const config :Workerd.Config = (services = [(name = "main", worker = .worker)]);',
          'const worker :Workerd.Worker = (',
          '  modules = [(name = "bundle.mjs", esModule = embed "bundle.mjs")],',
          '  compatibilityDate = "2026-11-01",',
          ');',
          '',
        ].join('\n'),
      );
      return [bin('workerd'), ['test', 'config.capnp']];
    },
  },
  'edge-runtime': {
    // The edge-runtime package's VM (what Vercel's Edge and Next.js middleware run), driven from Node.
    entry: `${printing}`,
    command: (dir) => {
      writeFileSync(
        join(dir, 'host.mjs'),
        [
          "import { readFileSync } from 'node:fs';",
          `import { EdgeRuntime } from ${JSON.stringify(createRequire(join(here, 'package.json')).resolve('edge-runtime'))};`,
          "const runtime = new EdgeRuntime({ initialCode: readFileSync('bundle.js', 'utf8') });",
          'await runtime.evaluate("globalThis.__authbridgeRuntime");',
          '',
        ].join('\n'),
      );
      return ['node', ['host.mjs']];
    },
    // The VM evaluates scripts, not modules: an IIFE whose promise the host awaits.
    format: 'iife',
  },
};

async function bundle(esbuild, name, runtime, files) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  const imports = files.map((file) => `import ${JSON.stringify(file)};`).join('\n');
  const iife = runtime.format === 'iife';
  const body = iife
    ? `globalThis.__authbridgeRuntime = (async () => {\n${runtime.entry}})();\n`
    : runtime.entry;
  await esbuild.build({
    stdin: {
      contents: `${imports}\nimport { run } from 'authbridge-runtime-test';\n${body}`,
      resolveDir: root,
      sourcefile: `${name}-entry.ts`,
      loader: 'ts',
    },
    bundle: true,
    outfile: join(dir, iife ? 'bundle.js' : 'bundle.mjs'),
    format: iife ? 'iife' : 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['worker', 'browser'],
    // The packages say sideEffects: false; their runtime suites register tests on import all the same.
    ignoreAnnotations: true,
    logLevel: 'warning',
    plugins: [workspacePlugin],
  });
  return dir;
}

function execute(name, runtime, dir) {
  const [command, args] = runtime.command(dir);
  const at = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => (output += String(error)));
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = output.split('\n').find((l) => l.includes(LINE));
      const summary = line ? JSON.parse(line.slice(line.indexOf(LINE) + LINE.length)) : undefined;
      resolve({ name, code, summary, output, ms: Date.now() - at });
    });
  });
}

async function main() {
  const only = process.argv.includes('--only')
    ? process.argv[process.argv.indexOf('--only') + 1].split(',')
    : undefined;
  install();
  const files = suites();
  if (files.length === 0) throw new Error('no runtime suites under packages/*/test/runtime/');
  console.log(`runtime suites: ${files.map((f) => relative(root, f)).join(', ')}`);
  rmSync(out, { recursive: true, force: true });
  const esbuild = createRequire(join(here, 'package.json'))('esbuild');
  const chosen = Object.entries(runtimes).filter(([name]) => !only || only.includes(name));
  const results = await Promise.all(
    chosen.map(async ([name, runtime]) => {
      try {
        return await execute(name, runtime, await bundle(esbuild, name, runtime, files));
      } catch (error) {
        return { name, code: 1, summary: undefined, output: `bundling failed: ${error.message}`, ms: 0 };
      }
    }),
  );
  const counts = results.map((r) => r.summary?.passed ?? 0);
  let failedRuntimes = 0;
  console.log('');
  for (const result of results) {
    const { summary } = result;
    // A runtime passes only when it exited cleanly, reported, failed nothing and ran every test the others ran.
    const ok =
      result.code === 0 &&
      summary &&
      summary.passed > 0 &&
      summary.failed === 0 &&
      summary.passed === Math.max(...counts);
    if (!ok) failedRuntimes += 1;
    const what = summary ? `${summary.passed} passed, ${summary.failed} failed` : 'no summary';
    console.log(
      `${ok ? 'pass' : 'FAIL'}  ${result.name.padEnd(13)} ${what} (${(result.ms / 1000).toFixed(1)} s)`,
    );
    for (const failure of summary?.failures ?? []) console.log(`        ${failure}`);
    if (!ok && !summary?.failures?.length) console.log(result.output.trim().replace(/^/gm, '        '));
  }
  console.log(
    `\nruntime matrix: ${results.length - failedRuntimes} of ${results.length} runtimes pass (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  if (failedRuntimes > 0) process.exit(1);
}

await main();
