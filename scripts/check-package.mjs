// Offline packaging check (toolchain.md §6): electron-builder --linux dir with a FAKE unpacked Electron
// distribution (the real one comes from GitHub) and no native rebuild (it would silently use Node's ABI
// here). Proves what goes into app.asar: the built app, the native pcsclite unpacked, and no bundled
// renderer libraries. It does not produce a usable app; Windows installers are built on Windows.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import asar from '@electron/asar'

const work = mkdtempSync(join(tmpdir(), 'station-pack-'))
const dist = join(work, 'electron-dist')
const output = join(work, 'out')
try {
  spawnSync('mkdir', ['-p', dist])
  writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "fake electron for the packaging check"\n')
  chmodSync(join(dist, 'electron'), 0o755)
  writeFileSync(join(dist, 'LICENSE'), '')
  const r = spawnSync(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      `-c.electronDist=${dist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${output}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`electron-builder failed:\n${r.stdout}\n${r.stderr}`)
  const resources = join(output, 'linux-unpacked', 'resources')
  const archive = join(resources, 'app.asar')
  const files = new Set(asar.listPackage(archive).map((f) => f.replaceAll('\\', '/')))
  const problems = []
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
    existsSync(join(process.cwd(), 'node_modules', 'pcsclite', 'build', 'Release', 'pcsclite.node')) &&
    !existsSync(native)
  ) {
    problems.push('pcsclite.node is not unpacked from app.asar')
  }
  const size = statSync(archive).size
  if (size > 5 * 1024 * 1024)
    problems.push(`app.asar is ${size} bytes (> 5 MiB): something unbundled slipped in`)
  if (problems.length) throw new Error(problems.join('\n'))
  console.log(
    `packaging ok: app.asar ${(size / 1024).toFixed(0)} KiB, ${files.size} entries, pcsclite.node unpacked`,
  )
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error))
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
