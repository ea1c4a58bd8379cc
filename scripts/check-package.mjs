// Offline packaging check (toolchain.md §6; README "Packaging and silent deployment"). electron-builder packs the
// app twice with STAND-IN unpacked Electron distributions (the real ones come from GitHub) that carry Electron's
// fuse wire at its defaults (scripts/electron-stand-in.mjs), and without the native rebuild (here it would silently
// use Node's ABI):
//   --linux dir: what goes into app.asar (the built app, the native pcsclite unpacked, no bundled renderer
//                libraries) and the fuses in the Linux executable;
//   --win dir:   the fuses in "<productName>.exe" and the asar integrity resource electron-builder embeds in it
//                (what EnableEmbeddedAsarIntegrityValidation checks at start-up).
// Each time the afterPack fuse step (build/after-pack.cjs) must have run and every fuse must read back in its
// required state. Then the installer configuration: the NSIS options of electron-builder.yml and the include script
// build/installer.nsh, compiled in its installer and uninstaller forms by makensis with -WX as electron-builder
// compiles it. Nothing here produces a usable app or installer: the installer itself is built on Windows (README).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import asar from '@electron/asar'
import fuses from '@electron/fuses'
import {
  ELECTRON_DEFAULT_FUSES,
  NEWER_FUSE_NAMES,
  writeLinuxStandIn,
  writeWindowsStandIn,
} from './electron-stand-in.mjs'

const require = createRequire(import.meta.url)
const project = process.cwd()

/** The fuse states the issue requires ("Hardened package"); every other fuse must keep Electron's default. */
const REQUIRED_FUSES = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  EnableCookieEncryption: true,
  GrantFileProtocolExtraPrivileges: false,
}

const problems = []
const notes = []
const work = mkdtempSync(join(tmpdir(), 'station-pack-'))

/** Runs electron-builder on this project with a stand-in Electron dist; returns its output (throws on failure). */
function electronBuilder(platformArgs, electronDist, output) {
  const r = spawnSync(
    'npx',
    [
      'electron-builder',
      ...platformArgs,
      `-c.electronDist=${electronDist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${output}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  )
  const text = `${r.stdout}\n${r.stderr}`
  if (r.status !== 0) throw new Error(`electron-builder ${platformArgs.join(' ')} failed:\n${text}`)
  return text
}

/** app.asar holds the built app and the unpacked native module, and no bundled library. Returns its size. */
function checkAppAsar(resources) {
  const archive = join(resources, 'app.asar')
  const files = new Set(asar.listPackage(archive).map((f) => f.replaceAll('\\', '/')))
  for (const f of [
    '/package.json',
    '/out/main/index.js',
    '/out/preload/index.js',
    '/out/renderer/index.html',
  ]) {
    if (!files.has(f)) problems.push(`app.asar lacks ${f}`)
  }
  for (const f of files) {
    if (/^\/node_modules\/(react|react-dom|@fluentui|zod|i18next|zustand)\//.test(f))
      problems.push(`bundled library shipped: ${f}`)
  }
  const native = join(
    resources,
    'app.asar.unpacked',
    'node_modules',
    'pcsclite',
    'build',
    'Release',
    'pcsclite.node',
  )
  if (
    existsSync(join(project, 'node_modules', 'pcsclite', 'build', 'Release', 'pcsclite.node')) &&
    !existsSync(native)
  ) {
    problems.push('pcsclite.node is not unpacked from app.asar')
  }
  const size = statSync(archive).size
  if (size > 5 * 1024 * 1024)
    problems.push(`app.asar is ${size} bytes (> 5 MiB): something unbundled slipped in`)
  return { size, entries: files.size }
}

/**
 * The afterPack step logged its flip for `exeName`, and the wire read back from `exe` (getCurrentFuseWire) has
 * every required fuse in its state and every other fuse at the stand-in's Electron default.
 */
async function checkFuses(label, exe, exeName, builderOutput) {
  const reported = builderOutput
    .split('\n')
    .some((line) => /fuses flipped\s+file=/.test(line) && line.includes(`file=${exeName} `))
  if (!reported) problems.push(`${label}: the afterPack fuse step did not report flipping ${exeName}`)
  const wire = await fuses.getCurrentFuseWire(exe)
  if (wire.version !== fuses.FuseVersion.V1) problems.push(`${label}: fuse wire version ${wire.version}`)
  const states = []
  for (let i = 0; i < ELECTRON_DEFAULT_FUSES.length; i++) {
    const name = fuses.FuseV1Options[i] ?? NEWER_FUSE_NAMES[i] ?? `fuse ${i}`
    const wanted = name in REQUIRED_FUSES ? (REQUIRED_FUSES[name] ? '1' : '0') : ELECTRON_DEFAULT_FUSES[i]
    const actual = String.fromCharCode(wire[i])
    if (actual !== wanted) problems.push(`${label}: ${name} is '${actual}', wanted '${wanted}'`)
    states.push(`${name}=${actual === '1' ? 'on' : actual === '0' ? 'off' : actual}`)
  }
  return states
}

/** The exe carries resource INTEGRITY/ELECTRONASAR naming resources\app.asar with the SHA-256 of its header. */
function checkWindowsAsarIntegrity(exe, archive) {
  const { NtExecutable, NtExecutableResource } = createRequire(
    require.resolve('app-builder-lib/package.json'),
  )('resedit')
  const resources = NtExecutableResource.from(NtExecutable.from(readFileSync(exe)))
  const entry = resources.entries.find((e) => e.type === 'INTEGRITY' && e.id === 'ELECTRONASAR')
  if (!entry) {
    problems.push(
      'win: the exe has no INTEGRITY/ELECTRONASAR resource (asar integrity validation would fail)',
    )
    return
  }
  const list = JSON.parse(Buffer.from(entry.bin).toString('utf8'))
  const headerHash = createHash('sha256').update(asar.getRawHeader(archive).headerString).digest('hex')
  const item = list.find((i) => i.file === 'resources\\app.asar')
  if (!item || item.alg !== 'SHA256' || item.value !== headerHash)
    problems.push(`win: asar integrity resource does not match app.asar's header: ${JSON.stringify(list)}`)
}

/** The NSIS options a managed per-machine deployment needs, the fuse hook, and the include script's contract. */
async function checkInstallerConfig() {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
  const { DebugLogger } = require('builder-util')
  const config = await getConfig(project, 'electron-builder.yml', null)
  await validateConfiguration(config, new DebugLogger(false))
  const nsis = config.nsis ?? {}
  const expect = (ok, message) => ok || problems.push(`installer config: ${message}`)
  const targets = (config.win?.target ?? []).map((t) => (typeof t === 'string' ? { target: t } : t))
  expect(
    targets.some((t) => t.target === 'nsis' && (t.arch ?? []).includes('x64')),
    'win.target must build nsis for x64',
  )
  expect(
    nsis.oneClick === false,
    'nsis.oneClick must be false (/allusers is ignored by one-click installers)',
  )
  expect(nsis.perMachine === true, 'nsis.perMachine must be true (Program Files, HKLM, admin)')
  expect(nsis.allowElevation !== false, 'nsis.allowElevation must not be false')
  expect(
    nsis.allowToChangeInstallationDirectory === true,
    'nsis.allowToChangeInstallationDirectory must be true',
  )
  expect(nsis.deleteAppDataOnUninstall !== true, 'nsis.deleteAppDataOnUninstall must be false')
  expect(nsis.include === 'build/installer.nsh', 'nsis.include must be build/installer.nsh')
  expect(
    config.npmRebuild === true,
    'npmRebuild must stay true (pcsclite is rebuilt for Electron on Windows)',
  )
  expect(
    config.afterPack === './build/after-pack.cjs',
    'afterPack must be ./build/after-pack.cjs (the fuses)',
  )
  const hook = require(resolve(project, 'build', 'after-pack.cjs'))
  expect(typeof hook.afterPack === 'function', 'build/after-pack.cjs must export afterPack')

  const include = join(project, 'build', 'installer.nsh')
  if (!existsSync(include)) {
    problems.push('installer config: build/installer.nsh is missing')
    return
  }
  const nsh = readFileSync(include, 'utf8')
  for (const macro of ['customInit', 'customInstall', 'customUnInstall'])
    expect(new RegExp(`^!macro ${macro}\\s*$`, 'm').test(nsh), `installer.nsh must define the ${macro} macro`)
  expect(
    /^!define STATION_VENDOR_DIR "CMEnrollment"$/m.test(nsh),
    'the vendor folder must be CMEnrollment (electron/services/policy/registry-policy.ts POLICY_VENDOR)',
  )
  expect(
    /^!define STATION_PRODUCT_DIR "CM Enrollment Station"$/m.test(nsh),
    'the product folder must be CM Enrollment Station',
  )
  expect(
    /^!define STATION_DEFAULTS_FILE "station.json"$/m.test(nsh),
    'the machine defaults file must be station.json',
  )
  const urlChars = /^!define STATION_URL_CHARS "([^"]*)"$/m.exec(nsh)?.[1] ?? '"'
  expect(!/["\\\s$]/.test(urlChars), 'STATION_URL_CHARS must exclude quotes, backslashes, spaces and $')
  for (const option of ['/CMURL=', '/KIOSK=', '/LANG='])
    expect(nsh.includes(`\${GetOptions} $R8 "${option}"`), `installer.nsh must read ${option}`)
  const uninstall = /^!macro customUnInstall\s*$([\s\S]*?)^!macroend/m.exec(nsh)?.[1] ?? ''
  expect(
    !/\b(Delete|RMDir|Rename)\b/i.test(uninstall),
    'customUnInstall must not delete the machine defaults',
  )
}

/**
 * Compiles build/installer.nsh the way electron-builder does (its include dir, -WX, UTF-8, once as the installer
 * with customInit and customInstall, once with BUILD_UNINSTALLER and customUnInstall) in a minimal script, with the
 * makensis on PATH (Debian: nsis). Returns false when makensis is not installed.
 */
function compileInstallerInclude() {
  const probe = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' })
  if (probe.error) return false
  const dir = join(work, 'nsis')
  spawnSync('mkdir', ['-p', dir])
  const script = join(dir, 'harness.nsi')
  writeFileSync(
    script,
    [
      'Unicode true',
      `!addincludedir "${join(project, 'build')}"`,
      `!include "${join(project, 'build', 'installer.nsh')}"`,
      'Name "CM Enrollment Station include check"',
      `OutFile "${join(dir, 'harness.exe')}"`,
      'RequestExecutionLevel admin',
      '!ifdef BUILD_UNINSTALLER',
      'Function .onInit',
      `  WriteUninstaller "${join(dir, 'uninstaller.exe')}"`,
      'FunctionEnd',
      'Section "install"',
      'SectionEnd',
      'Section "un.install"',
      '  !insertmacro customUnInstall',
      'SectionEnd',
      '!else',
      'Function .onInit',
      '  !insertmacro customInit',
      'FunctionEnd',
      'Section "install"',
      '  !insertmacro customInstall',
      'SectionEnd',
      '!endif',
      '',
    ].join('\n'),
  )
  for (const pass of [[], ['-DBUILD_UNINSTALLER']]) {
    const r = spawnSync('makensis', ['-WX', '-V2', '-INPUTCHARSET', 'UTF8', ...pass, script], {
      encoding: 'utf8',
    })
    if (r.status !== 0)
      problems.push(
        `makensis ${pass.join(' ') || '(installer)'}: installer.nsh does not compile:\n${r.stdout}${r.stderr}`,
      )
  }
  return probe.stdout.trim()
}

try {
  const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'))

  const linuxDist = join(work, 'linux-dist')
  writeLinuxStandIn(linuxDist)
  const linux = electronBuilder(['--linux', 'dir'], linuxDist, join(work, 'out-linux'))
  const linuxOut = join(work, 'out-linux', 'linux-unpacked')
  const linuxExe = pkg.name
  const asarInfo = checkAppAsar(join(linuxOut, 'resources'))
  const linuxStates = await checkFuses('linux', join(linuxOut, linuxExe), linuxExe, linux)

  const winDist = join(work, 'win-dist')
  writeWindowsStandIn(winDist, pkg.devDependencies.electron)
  const win = electronBuilder(['--win', 'dir', '--x64'], winDist, join(work, 'out-win'))
  const winOut = join(work, 'out-win', 'win-unpacked')
  const winExe = `${pkg.productName}.exe`
  checkAppAsar(join(winOut, 'resources'))
  await checkFuses('win', join(winOut, winExe), winExe, win)
  checkWindowsAsarIntegrity(join(winOut, winExe), join(winOut, 'resources', 'app.asar'))

  await checkInstallerConfig()
  const makensis = compileInstallerInclude()
  if (makensis) notes.push(`installer.nsh compiles with makensis ${makensis} -WX (installer and uninstaller)`)
  else if (process.env.CI)
    problems.push('makensis is not installed (Debian: apt-get install nsis; .ci/run does it)')
  else notes.push('installer.nsh NOT compiled: makensis is not installed (Debian: apt-get install nsis)')

  if (problems.length) throw new Error(problems.join('\n'))
  console.log(
    [
      `packaging ok: app.asar ${(asarInfo.size / 1024).toFixed(0)} KiB, ${asarInfo.entries} entries, pcsclite.node unpacked`,
      `fuses flipped by build/after-pack.cjs in ${linuxExe} and ${winExe}: ${linuxStates.join(', ')}`,
      `${winExe} carries the asar integrity resource for app.asar`,
      'installer config ok: nsis per-machine, assisted, installation directory changeable, include build/installer.nsh',
      ...notes,
    ].join('\n'),
  )
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error))
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
