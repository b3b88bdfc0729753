import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // forks, not threads: --expose-gc breaks vitest's thread workers
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 30_000,
  },
});
