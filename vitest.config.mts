import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// Unit + component tests. Renderer tests opt into jsdom with `// @vitest-environment jsdom`.
export default defineConfig({
  plugins: [react()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: ['tests/unit/setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 20_000,
  },
})
