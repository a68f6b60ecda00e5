import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The suites of @authbridge/test-utils guard every provider and store; this shows they can fail.
const config = fileURLToPath(new URL('../conformance-fixtures.config.ts', import.meta.url));
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
}
let results: Assertion[] = [];
const dir = mkdtempSync(join(tmpdir(), 'authbridge-conformance-'));

beforeAll(() => {
  const report = join(dir, 'report.json');
  spawnSync(process.execPath, [vitest, 'run', '--config', config], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, CONFORMANCE_REPORT: report },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
    testResults: { assertionResults: Assertion[] }[];
  };
  results = parsed.testResults.flatMap((file) => file.assertionResults);
}, 150_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failedIn = (suite: string): string[] =>
  results
    .filter((r) => r.ancestorTitles.some((title) => title.endsWith(`: ${suite}`)) && r.status === 'failed')
    .map((r) => r.title);
const ranIn = (suite: string): number =>
  results.filter((r) => r.ancestorTitles.some((title) => title.endsWith(`: ${suite}`))).length;

describe('the conformance suites', () => {
  it('pass a sound provider and a sound store', () => {
    expect(ranIn('sound')).toBeGreaterThan(5);
    expect(failedIn('sound')).toEqual([]);
    expect(ranIn('sound-store')).toBeGreaterThan(5);
    expect(failedIn('sound-store')).toEqual([]);
  });

  it('fail a provider that uses the global fetch instead of the injected one', () => {
    expect(failedIn('global-fetch')).toEqual(['uses the injected fetch, and only it']);
  });

  it('fail a provider whose error repeats the credential', () => {
    expect(failedIn('leaky')).toEqual([
      'verify throws ERR_CREDENTIAL_REJECTED for a rejected token, without the credential in the error',
    ]);
  });

  it('fail a provider that drops the caller’s signal', () => {
    expect(failedIn('deaf')).toEqual([
      'rejects with ERR_ABORTED when the signal is already aborted',
      'rejects with ERR_ABORTED when the signal fires during a hung request',
    ]);
  });

  it('pass a sound challenge provider, with the challenge-step checks', () => {
    expect(ranIn('sound-challenge')).toBeGreaterThan(ranIn('sound'));
    expect(failedIn('sound-challenge')).toEqual([]);
  });

  it('fail a challenge provider whose credential carries what the server issued', () => {
    expect(failedIn('client-state')).toEqual([
      'the credential names the challenge by its id and carries nothing else the server issued',
    ]);
  });

  it('fail a challenge provider that does not spend a challenge', () => {
    expect(failedIn('reusable-challenge')).toEqual([
      'refuses a challenge id used once with ERR_CREDENTIAL_CHALLENGE',
      'of concurrent verifications of one challenge exactly one succeeds',
    ]);
  });

  it('fail a challenge provider that never looks the challenge id up', () => {
    expect(failedIn('unbound-challenge')).toEqual([
      'the credential names the challenge by its id and carries nothing else the server issued',
      'refuses a tampered challenge id with ERR_CREDENTIAL_CHALLENGE, leaving the real one usable',
      'refuses a challenge id used once with ERR_CREDENTIAL_CHALLENGE',
      'of concurrent verifications of one challenge exactly one succeeds',
    ]);
  });

  it('fail a store whose setIfAbsent is not atomic', () => {
    expect(failedIn('racy-store')).toEqual([
      'of 50 concurrent setIfAbsent calls on one key, exactly one wins',
    ]);
  });
});
