// npm run preview: build the renderer (and main/preload) with electron-vite, then start the preview host.
import { spawnSync } from 'node:child_process'

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
run('npx', ['electron-vite', 'build'])
run('npx', ['tsx', 'electron/preview/cli.ts', ...process.argv.slice(2)])
