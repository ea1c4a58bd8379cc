// npm start: build, then launch Electron. Electron ≥ 42 downloads its binary lazily, on the first
// require('electron') (toolchain.md §2): do that here, so `npm install && npm start` works on a
// workstation with internet. Where the download is impossible (no internet, e.g. this project's Debian
// CI), say so clearly and point to `npm run preview`.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { electronBinary } from './electron-binary.cjs'

const build = spawnSync('npx', ['electron-vite', 'build'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
})
if (build.status !== 0) process.exit(build.status ?? 1)

let exe = electronBinary()
if (!exe) {
  try {
    exe = createRequire(import.meta.url)('electron') // downloads the binary on first use, returns its path
  } catch {
    exe = null
  }
}
if (!exe || !electronBinary()) {
  console.error(
    '\nThe Electron binary is not installed and could not be downloaded (it comes from GitHub, which this machine cannot reach).\n' +
      'To use the station here, run `npm run preview` (the same station in a browser).\n',
  )
  process.exit(1)
}
const child = spawn(exe, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
