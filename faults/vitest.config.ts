import { defineConfig } from 'vitest/config';

// The fault suite (docs/faults.md) runs on its own: `npm run test:faults`. It starts real server
// and device processes and takes minutes, so it is not part of `npm run test:unit`; `npm test`
// runs it at the CI setting. One file at a time: the model test and the fuzzing share 2 cores.
export default defineConfig({
  test: {
    include: ['faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    setupFiles: ['./vitest.setup.ts'],
  },
});
