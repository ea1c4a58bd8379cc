// electron-builder afterPack hook (electron-builder.yml `afterPack`): flips Electron's fuses in the packaged
// executable. afterPack runs after the app files and the asar integrity are in place and before electron-builder
// edits the Windows resources and signs, so the signature covers the flipped fuses (field-notes §4; Electron
// docs/tutorial/fuses.md: "flipped at package time before you code sign your app").
const path = require('node:path')
const { flipFuses, getCurrentFuseWire, FuseVersion, FuseV1Options } = require('@electron/fuses')

/**
 * The fuse states this app ships with (Electron security checklist, field-notes §4). Anything not listed keeps
 * Electron's default (LoadBrowserProcessSpecificV8Snapshot off; fuses newer than @electron/fuses 1.8.0 untouched).
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the signed binary into a general Node interpreter.
 * - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS (--require …) cannot inject code.
 * - EnableNodeCliInspectArguments off: --inspect / SIGUSR1 cannot attach a debugger to the main process.
 * - EnableEmbeddedAsarIntegrityValidation on: app.asar must match the hash electron-builder embeds in the binary.
 * - OnlyLoadAppFromAsar on: no fallback to a loose resources/app folder, so the validated asar is the only app.
 * - EnableCookieEncryption on: the cookie store (CM's session cookies) is encrypted with the OS key (DPAPI).
 * - GrantFileProtocolExtraPrivileges off: file:// gets no extra powers (the app is served from app://).
 */
const STATION_FUSES = Object.freeze({
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
})

/** The ASCII byte Electron's fuse wire uses for "on" ('1') and "off" ('0'). */
const ON = 0x31
const OFF = 0x30
/** The byte Electron writes for a fuse it removed ('r'): setting it has no effect. */
const REMOVED = 0x72

/**
 * The file @electron/fuses edits for a packaged app: Windows `<appOutDir>/<productFilename>.exe`, Linux
 * `<appOutDir>/<executableName>`, macOS the `.app` bundle (@electron/fuses finds the framework inside).
 * `context` is electron-builder's AfterPackContext.
 */
function packagedElectronPath(context) {
  const { appOutDir, electronPlatformName, packager } = context
  switch (electronPlatformName) {
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`)
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`)
    case 'linux':
      return path.join(appOutDir, packager.executableName)
    default:
      throw new Error(`fuses: unknown platform ${electronPlatformName}`)
  }
}

/** A fuse byte as text, for the log: on, off, removed or the raw byte. */
function stateName(byte) {
  if (byte === ON) return 'on'
  if (byte === OFF) return 'off'
  if (byte === REMOVED) return 'removed'
  return `0x${Number(byte).toString(16)}`
}

/**
 * afterPack: flips STATION_FUSES in the packaged executable, logs each fuse's change, then reads the wire back and
 * fails the build unless every listed fuse has its state. A listed fuse Electron marked removed, or a wire too short
 * for the list, fails the build too (they would otherwise ship silently). On macOS the ad-hoc signature is reset
 * (arm64 refuses a modified binary).
 */
async function afterPack(context) {
  const electron = packagedElectronPath(context)
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
  const before = await getCurrentFuseWire(electron)
  // @electron/fuses only warns about a removed fuse and overwrites its 'r' marker, which would then read back as
  // set although Electron ignores it: refuse the build instead.
  const removed = Object.keys(STATION_FUSES).filter((index) => before[index] === REMOVED)
  if (removed.length)
    throw new Error(
      `fuses: ${path.basename(electron)}: Electron removed ${removed.map((i) => FuseV1Options[i]).join(', ')}`,
    )
  await flipFuses(electron, { version: FuseVersion.V1, resetAdHocDarwinSignature: isMac, ...STATION_FUSES })
  const after = await getCurrentFuseWire(electron)
  const wrong = []
  const changes = []
  for (const [index, wanted] of Object.entries(STATION_FUSES)) {
    const name = FuseV1Options[index]
    const now = after[index]
    if (now !== (wanted ? ON : OFF))
      wrong.push(`${name} is ${stateName(now)}, wanted ${wanted ? 'on' : 'off'}`)
    changes.push(`${name} ${stateName(before[index])}→${stateName(now)}`)
  }
  if (wrong.length) throw new Error(`fuses: ${path.basename(electron)}: ${wrong.join('; ')}`)
  console.log(`  • fuses flipped  file=${path.basename(electron)} ${changes.join(', ')}`)
}

module.exports = { afterPack, STATION_FUSES, packagedElectronPath }
