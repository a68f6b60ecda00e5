// Runs every benchmark once, as `pnpm bench` does (build, then `turbo run bench --concurrency=1`),
// and writes each `RATIO` line the benches print, with the date, the command, Node's version and the
// load average before and after, to .artifacts/bench.md: the one run a README may quote.
//
//   pnpm bench:report
//   pnpm bench:report --filter=@authbridge/toopher   # one package, to try it (not to quote)
//
// Run it through pnpm (as above): turbo looks for the pnpm binary on PATH.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const COMMAND = ['run', 'bench', '--concurrency=1', ...process.argv.slice(2)];
// Colour codes, in case a tool ignores FORCE_COLOR=0.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(turbo, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const take = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

const build = await run(['run', 'build']);
if (build.code !== 0) {
  console.error('The build failed; no benchmark was run.');
  process.exit(build.code ?? 1);
}
const started = new Date();
const loadBefore = load();
const bench = await run(COMMAND);
const loadAfter = load();
const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);

const ratios = [];
for (const raw of bench.output.replace(ANSI, '').split('\n')) {
  const at = raw.indexOf('RATIO ');
  if (at === -1) continue;
  const line = raw.slice(at).trim();
  const field = (name) => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1] ?? '';
  const target = /\btarget([<>]=\S+)/.exec(line)?.[1] ?? '';
  const detail = /\((.*)\)\s*$/.exec(line)?.[1] ?? '';
  ratios.push({ name: field('name'), value: field('value'), target, met: field('met'), detail, line });
}

const escapeCell = (text) => text.replaceAll('|', '\\|');
const report = [
  '# Benchmark run',
  '',
  `- date: ${started.toISOString()} (${minutes} min)`,
  `- command: \`turbo ${COMMAND.join(' ')}\` (what \`pnpm bench\` runs after the build), via \`node scripts/bench-report.mjs\``,
  `- node ${process.version}, ${process.platform}-${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`,
  `- load average (1 / 5 / 15 min): before ${loadBefore}, after ${loadAfter}`,
  `- exit code of the bench run: ${bench.code}`,
  '',
  '| ratio | value | target | met | measured |',
  '| --- | --- | --- | --- | --- |',
  ...ratios.map((r) => `| ${r.name} | ${r.value} | ${r.target} | ${r.met} | ${escapeCell(r.detail)} |`),
  '',
  '## RATIO lines as printed',
  '',
  '```',
  ...ratios.map((r) => r.line),
  '```',
  '',
].join('\n');

const out = join(root, '.artifacts', 'bench.md');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, report);
console.log(`\n${ratios.length} ratios written to ${out}`);
process.exit(bench.code === 0 ? 0 : 1);
