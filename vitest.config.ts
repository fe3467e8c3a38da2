import { defineConfig } from 'vitest/config';

export default defineConfig({
  // vitest 4 compiles TSX with oxc, which ignores esbuild options: the JSX source is set here.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
