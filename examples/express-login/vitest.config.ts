import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// A browser start and four logins take a few seconds on a shared CI core.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } }),
);
