import { defineConfig } from 'vitest/config';

// Unit tests (Node) and component tests (jsdom, chosen per file with `// @vitest-environment jsdom`).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/renderer/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    setupFiles: ['test/support/rendererSetup.ts'],
    pool: 'forks',
  },
});
