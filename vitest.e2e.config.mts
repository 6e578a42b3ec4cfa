import { defineConfig } from 'vitest/config';

// End-to-end: the built renderer in real Chromium, wired to the real engine over a real SQLite file.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts', 'test/electron/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
