#!/usr/bin/env node
// Type-checks every package, runs every package's tests through turbo, then sums the vitest JSON reports into one closing line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const reports = join(root, '.artifacts', 'vitest');
rmSync(reports, { recursive: true, force: true });

const turbo = join(root, 'node_modules', '.bin', 'turbo');
// Type tests (expectTypeOf, @ts-expect-error) only mean something when tsc runs too.
const typecheck = spawnSync(turbo, ['run', 'typecheck', '--concurrency=2', '--continue'], {
  cwd: root,
  stdio: 'inherit',
});
const run = spawnSync(turbo, ['run', 'test', '--concurrency=2', '--continue'], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
if (existsSync(reports)) {
  for (const file of readdirSync(reports).sort()) {
    const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    passed += report.numPassedTests;
    // A failing test also fails its describe blocks; count suites only when no test inside failed
    // (a file that could not load).
    failed += report.numFailedTests || (report.numFailedTestSuites ?? 0);
    skipped += report.numPendingTests + report.numTodoTests;
    rows.push(
      `  ${file
        .replace(/\.json$/, '')
        .replace(/^_/, '@')
        .replace('_', '/')
        .padEnd(28)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
console.log(`\nTest summary by package:\n${rows.join('\n')}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (typecheck.status !== 0) console.error('Type-check failed: see the tsc output above.');
if (typecheck.status !== 0 || run.status !== 0 || failed > 0 || passed === 0) process.exit(1);
