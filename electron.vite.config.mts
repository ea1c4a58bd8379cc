import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Layout per the design card: electron/main.ts, electron/preload.ts, renderer/index.html.
export default defineConfig({
  main: {
    build: {
      // pcsclite is an optionalDependency: electron-vite only externalizes `dependencies`,
      // so without this it would bundle `bindings` and break at run time (toolchain.md §3).
      externalizeDeps: { include: ['pcsclite'] },
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle everything it uses (zod included).
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      minify: true,
      // Fluent UI alone is ~450 kB minified (toolchain.md §3); one chunk is fine for a local app.
      chunkSizeWarningLimit: 1024,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
})
