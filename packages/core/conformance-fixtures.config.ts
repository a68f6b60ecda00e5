import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

/**
 * Runs the conformance suites against sound and deliberately flawed providers and stores, for
 * `conformance-suites.test.ts`. Its report goes where that test says, never to `.artifacts`: these
 * failures are expected and must not count against the workspace.
 */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    root: join(import.meta.dirname, 'test', 'conformance-fixtures'),
    include: ['*.fixture.ts'],
    testTimeout: 20_000,
    reporters: [['json', { outputFile: process.env.CONFORMANCE_REPORT ?? 'report.json' }]],
  },
});
