import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One printed seed for every randomised test: SCORTA_TEST_SEED, or the constant in test/helpers/seed.ts.
    globalSetup: ['test/helpers/seed-global.ts'],
    setupFiles: ['test/helpers/seed-setup.ts'],
  },
});
