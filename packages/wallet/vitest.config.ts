import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // The cross-process nonce race runs against a throwaway redis-server that this setup starts.
      globalSetup: ['./test/global-setup.ts'],
    },
  }),
);
