import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // Tests and benchmarks run against a throwaway PostgreSQL server that this setup starts (and
      // installs with apt-get when it is missing and this machine allows it); benchmarks also get a
      // throwaway redis-server, to measure both stores in one run.
      globalSetup: ['./test/global-setup.ts'],
    },
  }),
);
