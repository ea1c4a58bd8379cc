// Find the Electron binary WITHOUT require('electron') (that would try to download it, toolchain.md §5).
const { existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

/** Absolute path of the Electron executable, or null when it is not installed. */
function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const exe = join(override, process.platform === 'win32' ? 'electron.exe' : 'electron')
    return existsSync(exe) ? exe : null
  }
  const pkg = join(__dirname, '..', 'node_modules', 'electron')
  try {
    const rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim() // written only after a successful download
    const exe = join(pkg, 'dist', rel)
    return existsSync(exe) ? exe : null
  } catch {
    return null
  }
}

exports.electronBinary = electronBinary
