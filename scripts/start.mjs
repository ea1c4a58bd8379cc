// npm start: build, then launch Electron. Where the Electron binary could not be downloaded (no
// internet, e.g. this project's Debian CI), say so clearly and point to `npm run preview`.
import { spawn, spawnSync } from 'node:child_process'
import { electronBinary } from './electron-binary.cjs'

const build = spawnSync('npx', ['electron-vite', 'build'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
})
if (build.status !== 0) process.exit(build.status ?? 1)

const exe = electronBinary()
if (!exe) {
  console.error(
    '\nThe Electron binary is not installed (it is downloaded from GitHub on first use, which this machine cannot reach).\n' +
      'On a workstation with internet access run `npx install-electron` once, then `npm start` again.\n' +
      'To use the station here, run `npm run preview` (the same station in a browser).\n',
  )
  process.exit(1)
}
const child = spawn(exe, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
