// Stand-in unpacked Electron distributions for the offline packaging check (the real ones come from GitHub).
// Each stand-in executable carries Electron's fuse wire, laid out as Electron and @electron/fuses read it
// (docs/tutorial/fuses.md "The hard way"; @electron/fuses 1.8.0 dist/index.js):
//   sentinel "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX" | version (1 byte, 1 = V1) | length N (1 byte) | N fuse bytes
// where a fuse byte is '0' (0x30, off), '1' (0x31, on) or 'r' (0x72, removed). The fuses are written at their
// Electron defaults, so the check proves our afterPack step (build/after-pack.cjs) flips them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

/** The sentinel that precedes the fuse wire in every Electron binary since Electron 12. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/**
 * Electron's V1 fuse wire at its defaults, in wire order (electron/electron build/fuses/fuses.json5): run_as_node 1,
 * cookie_encryption 0, node_options 1, node_cli_inspect 1, embedded_asar_integrity_validation 0,
 * only_load_app_from_asar 0, load_browser_process_specific_v8_snapshot 0, grant_file_protocol_extra_privileges 1,
 * wasm_trap_handlers 1. The ninth fuse is newer than @electron/fuses 1.8.0 (which names eight): the stand-in keeps
 * it so the check also proves the pinned @electron/fuses flips a longer wire and leaves the fuse it does not know.
 */
export const ELECTRON_DEFAULT_FUSES = '101100011'

/** Names of the wire positions newer than @electron/fuses 1.8.0's FuseV1Options (Electron's fuses.json5). */
export const NEWER_FUSE_NAMES = Object.freeze({ 8: 'WasmTrapHandlers' })

/** The bytes of a V1 fuse wire: sentinel, version 1, length, one ASCII '0'/'1'/'r' byte per fuse. */
export function fuseWire(states = ELECTRON_DEFAULT_FUSES) {
  if (!/^[01r]{1,255}$/.test(states)) throw new Error(`bad fuse states: ${states}`)
  return Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, states.length]),
    Buffer.from(states, 'latin1'),
  ])
}

/**
 * Writes a stand-in Linux Electron distribution into `dir`: an `electron` shell script (runnable, it only prints
 * that it is a stand-in) whose trailing comment line holds the fuse wire, and the LICENSE electron-builder expects.
 * Returns the executable's path.
 */
export function writeLinuxStandIn(dir) {
  mkdirSync(dir, { recursive: true })
  const exe = join(dir, 'electron')
  const script = Buffer.from(
    '#!/bin/sh\necho "stand-in Electron for the offline packaging check"\nexit 0\n# ',
  )
  writeFileSync(exe, Buffer.concat([script, fuseWire(), Buffer.from('\n')]), { mode: 0o755 })
  writeFileSync(join(dir, 'LICENSE'), '')
  return exe
}

/**
 * Writes a stand-in Windows Electron distribution into `dir`: `electron.exe`, a valid (empty) PE32+ image with the
 * version resource electron-builder edits (resedit, as app-builder-lib 26.17.0 does: it embeds the asar integrity
 * as resource INTEGRITY/ELECTRONASAR and rewrites the version strings) and the fuse wire after the last section,
 * and the LICENSE electron-builder expects. It is not a program: nothing can run it. `states` (default: Electron's
 * defaults) lets tests write other wires. Returns the executable's path.
 */
export function writeWindowsStandIn(dir, electronVersion, states = ELECTRON_DEFAULT_FUSES) {
  mkdirSync(dir, { recursive: true })
  // resedit is app-builder-lib's own dependency: resolve it from there rather than pinning a second copy.
  const { NtExecutable, NtExecutableResource, Resource } = createRequire(
    createRequire(import.meta.url).resolve('app-builder-lib/package.json'),
  )('resedit')
  const executable = NtExecutable.createEmpty(false, false)
  const resources = NtExecutableResource.from(executable)
  const versionInfo = Resource.VersionInfo.createEmpty()
  const lang = { lang: 1033, codepage: 1200 }
  versionInfo.lang = lang.lang
  versionInfo.setStringValues(lang, {
    CompanyName: 'GitHub, Inc.',
    FileDescription: 'Electron',
    ProductName: 'Electron',
    OriginalFilename: 'electron.exe',
  })
  versionInfo.setFileVersion(`${electronVersion}.0`)
  versionInfo.setProductVersion(`${electronVersion}.0`)
  versionInfo.outputToResourceEntries(resources.entries)
  resources.outputResource(executable)
  executable.setExtraData(fuseWire(states))
  const exe = join(dir, 'electron.exe')
  writeFileSync(exe, Buffer.from(executable.generate()))
  writeFileSync(join(dir, 'LICENSE'), '')
  return exe
}
