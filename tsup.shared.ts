import { defineConfig, type Options } from 'tsup';

/** The build every publishable package shares: ESM + CJS + `.d.ts` from `tsconfig.build.json`. */
export function packageBuild(entry: string[] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    tsconfig: 'tsconfig.build.json',
    ...extra,
  });
}
