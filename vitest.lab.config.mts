import { defineConfig } from 'vitest/config'

// Lab tests: real pcscd + vpcd + the project's virtual card processes. One pcscd per machine,
// so files run one at a time in a single worker. The global setup starts and stops the lab.
export default defineConfig({
  test: {
    include: ['tests/lab/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/lab/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
