import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const packageName = (
  JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { name: string }
).name;
const reportFile = join(
  import.meta.dirname,
  '.artifacts',
  'vitest',
  `${packageName.replace(/[@/]/g, '_')}.json`,
);

const packagesDir = join(import.meta.dirname, 'packages');
/** `@authbridge/<name>` resolves to its source, `@authbridge/<name>/<entry>` to `src/<entry>.ts`. */
export const workspaceAliases = readdirSync(packagesDir)
  .filter((name) => existsSync(join(packagesDir, name, 'src', 'index.ts')))
  .flatMap((name) => [
    { find: new RegExp(`^@authbridge/${name}$`), replacement: join(packagesDir, name, 'src', 'index.ts') },
    { find: new RegExp(`^@authbridge/${name}/(.+)$`), replacement: join(packagesDir, name, 'src', '$1.ts') },
  ]);

/**
 * The one vitest configuration every package extends: workspace packages resolve to
 * their sources (no build needed), and each run leaves a JSON report that `scripts/test-all.mjs` sums up.
 */
export const sharedConfig = defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    benchmark: { include: ['src/**/*.bench.ts', 'bench/**/*.bench.ts'] },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: reportFile }]],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*.bench.ts', 'src/index.ts'],
      reporter: ['text-summary', 'text'],
    },
  },
});
