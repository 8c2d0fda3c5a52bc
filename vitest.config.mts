import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Live-kernel tests share the host's namespaces and slab counters; run files one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
