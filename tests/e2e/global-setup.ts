import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { labUnavailableReason, startLab, stopLab } from '../lab/pcsc-lab'

/**
 * The e2e suite drives the REAL built renderer in Debian Chromium, bridged to the real main-side
 * services, which watch real readers through pcscd + vpcd. Build the renderer, start the lab.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = join(__dirname, '..', '..')
  // Always rebuild (~2 s): a stale bundle would test yesterday's contract.
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0 || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('electron-vite build failed')
  }
  const reason = labUnavailableReason()
  if (reason) {
    if (process.env.REQUIRE_PCSC_LAB === '1') throw new Error(`PC/SC lab required but unavailable: ${reason}`)
    console.warn(`\n*** SKIPPED: PC/SC lab unavailable (${reason}): reader e2e tests will be skipped ***\n`)
    process.env.PCSC_LAB_SKIP = reason
    return async () => {}
  }
  await startLab()
  return async () => {
    await stopLab()
  }
}
