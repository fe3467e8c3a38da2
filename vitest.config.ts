import { defineConfig } from 'vitest/config';

// vitest 4 compiles TSX with oxc, which ignores esbuild options: the JSX source is set here.
const oxc = { jsx: { runtime: 'automatic' as const, importSource: 'preact' } };

export default defineConfig({
  oxc,
  test: {
    testTimeout: 20_000,
    projects: [
      {
        oxc,
        test: { name: 'unit', include: ['test/**/*.test.{ts,tsx}'], exclude: ['test/e2e/**'], environment: 'node', testTimeout: 20_000 },
      },
      {
        // Real Chromium: one file at a time, so two cores are not shared by several browsers.
        oxc,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', fileParallelism: false, testTimeout: 90_000, hookTimeout: 90_000 },
      },
    ],
  },
});
