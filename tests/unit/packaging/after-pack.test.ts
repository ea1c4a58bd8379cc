import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ELECTRON_DEFAULT_FUSES, writeWindowsStandIn } from '../../../scripts/electron-stand-in.mjs'

// The electron-builder afterPack hook (build/after-pack.cjs) against stand-in executables that carry Electron's
// fuse wire; scripts/check-package.mjs runs it inside real electron-builder builds.
interface AfterPackContext {
  appOutDir: string
  electronPlatformName: string
  packager: { appInfo: { productFilename: string }; executableName?: string }
}
const hook = createRequire(import.meta.url)('../../../build/after-pack.cjs') as {
  afterPack: (context: AfterPackContext) => Promise<void>
  packagedElectronPath: (context: AfterPackContext) => string
}

const PRODUCT = 'CM Enrollment Station'
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A packaged Windows app folder whose "<product>.exe" carries the fuse wire `states`. */
function windowsApp(states = ELECTRON_DEFAULT_FUSES): AfterPackContext {
  const dir = mkdtempSync(join(tmpdir(), 'after-pack-'))
  dirs.push(dir)
  copyFileSync(writeWindowsStandIn(join(dir, 'dist'), '45.4.1', states), join(dir, `${PRODUCT}.exe`))
  return {
    appOutDir: dir,
    electronPlatformName: 'win32',
    packager: { appInfo: { productFilename: PRODUCT } },
  }
}

const quiet = <T>(run: () => Promise<T>): Promise<T> => {
  const log = console.log
  console.log = () => undefined
  return run().finally(() => {
    console.log = log
  })
}

describe('afterPack fuse step', () => {
  it('flips exactly the listed fuses in <productFilename>.exe and leaves the others at their defaults', async () => {
    const context = windowsApp()
    await quiet(() => hook.afterPack(context))
    const wire = await getCurrentFuseWire(join(context.appOutDir, `${PRODUCT}.exe`))
    const on = 0x31
    const off = 0x30
    expect(wire[FuseV1Options.RunAsNode]).toBe(off)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on)
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(off)
    // Not listed: Electron's defaults stay (LoadBrowserProcessSpecificV8Snapshot off, the ninth fuse on).
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(off)
    expect((wire as unknown as Record<number, number>)[8]).toBe(on)
  })

  it('logs each listed fuse with its state before and after', async () => {
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => lines.push(line)
    try {
      await hook.afterPack(windowsApp())
    } finally {
      console.log = log
    }
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`fuses flipped  file=${PRODUCT}.exe`)
    expect(lines[0]).toContain('RunAsNode on→off')
    expect(lines[0]).toContain('EnableCookieEncryption off→on')
    expect(lines[0]).toContain('GrantFileProtocolExtraPrivileges on→off')
  })

  it('fails the build when Electron marked a listed fuse as removed (flipping it would be a no-op)', async () => {
    const removed = ELECTRON_DEFAULT_FUSES.slice(0, 7) + 'r' + ELECTRON_DEFAULT_FUSES.slice(8)
    const context = windowsApp(removed)
    await expect(quiet(() => hook.afterPack(context))).rejects.toThrow(
      /Electron removed GrantFileProtocolExtraPrivileges/,
    )
    // Refused before anything was written: the wire is as Electron shipped it.
    const wire = await getCurrentFuseWire(join(context.appOutDir, `${PRODUCT}.exe`))
    expect(String.fromCharCode(...Object.values(wire).filter((v) => typeof v === 'number'))).toBe(removed)
  })

  it('fails the build when the wire is shorter than the fuses it must set', async () => {
    await expect(quiet(() => hook.afterPack(windowsApp('1011')))).rejects.toThrow(/not long enough/)
  })

  it('fails the build when the executable carries no fuse wire', async () => {
    const context = windowsApp()
    writeFileSync(join(context.appOutDir, `${PRODUCT}.exe`), 'MZ not electron')
    await expect(quiet(() => hook.afterPack(context))).rejects.toThrow(/sentinel/)
  })

  it('finds the executable electron-builder produced on each platform', () => {
    const packager = { appInfo: { productFilename: PRODUCT }, executableName: 'cm-enrollment-station' }
    const at = (electronPlatformName: string) =>
      hook.packagedElectronPath({ appOutDir: '/out', electronPlatformName, packager })
    expect(at('win32')).toBe(join('/out', `${PRODUCT}.exe`))
    expect(at('linux')).toBe(join('/out', 'cm-enrollment-station'))
    expect(at('darwin')).toBe(join('/out', `${PRODUCT}.app`))
    expect(() => at('freebsd')).toThrow(/unknown platform/)
  })
})
