import { defineConfig } from 'vitest/config';

// Unit tests only: test/e2e holds Playwright's browser tests, which vitest must not collect.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 60000,
  },
});
