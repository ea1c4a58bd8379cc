import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import {
  defaultExportPath,
  diagnosticsFileName,
  exportDiagnostics,
} from '../../../electron/services/audit/diagnostics-export'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'diag-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const NOW = () => new Date('2026-03-14T10:15:02.345Z')

/** A data directory with rotated logs and audit files, and other files that are not part of an export. */
function dataDirWithLogs(): string {
  const dataDir = tempDir()
  mkdirSync(join(dataDir, 'logs'))
  mkdirSync(join(dataDir, 'audit'))
  writeFileSync(join(dataDir, 'logs', 'station.2.log'), '{"level":"info","msg":"two"}\n')
  writeFileSync(join(dataDir, 'logs', 'station.3.log'), '{"level":"info","msg":"three"}\n')
  // A big file: several read chunks.
  writeFileSync(join(dataDir, 'audit', 'audit.1.jsonl'), '{"v":1,"action":"step"}\n'.repeat(120_000))
  writeFileSync(join(dataDir, 'journal-training.json'), '{"version":1,"entries":[]}')
  writeFileSync(join(dataDir, 'directory-bind.secret'), 'ciphertext')
  writeFileSync(join(dataDir, 'logs', 'notes.txt'), 'not a log')
  return dataDir
}

describe('Export diagnostics (zip)', () => {
  it('names the file by UTC time', () => {
    expect(diagnosticsFileName(NOW())).toBe('station-diagnostics-20260314-101502.zip')
  })

  it('zips about.json, the numbered log files and the audit files only — nothing else of the data directory', async () => {
    const dataDir = dataDirWithLogs()
    const result = await exportDiagnostics({
      dataDir,
      about: { version: '1.2.3', readers: ['Station Virtual Reader 0'] },
      choosePath: defaultExportPath(dataDir),
      now: NOW,
    })
    const path = join(dataDir, 'exports', 'station-diagnostics-20260314-101502.zip')
    expect(result).toEqual({ status: 'saved', path, fileName: 'station-diagnostics-20260314-101502.zip' })
    expect(readdirSync(join(dataDir, 'exports'))).toEqual(['station-diagnostics-20260314-101502.zip'])
    const zip = unzipSync(readFileSync(path))
    expect(Object.keys(zip)).toEqual([
      'about.json',
      'logs/station.2.log',
      'logs/station.3.log',
      'audit/audit.1.jsonl',
    ])
    expect(JSON.parse(strFromU8(zip['about.json']!))).toEqual({
      version: '1.2.3',
      readers: ['Station Virtual Reader 0'],
    })
    expect(strFromU8(zip['logs/station.3.log']!)).toBe('{"level":"info","msg":"three"}\n')
    expect(strFromU8(zip['audit/audit.1.jsonl']!)).toBe(
      readFileSync(join(dataDir, 'audit', 'audit.1.jsonl'), 'utf8'),
    )
  })

  it('canceled: nothing is written', async () => {
    const dataDir = dataDirWithLogs()
    expect(await exportDiagnostics({ dataDir, about: {}, choosePath: async () => null, now: NOW })).toEqual({
      status: 'canceled',
    })
    expect(existsSync(join(dataDir, 'exports'))).toBe(false)
  })

  it('a write failure throws and leaves no partial file', async () => {
    const dataDir = dataDirWithLogs()
    const target = join(dataDir, 'out', 'diag.zip')
    mkdirSync(join(dataDir, 'out', 'diag.zip.part'), { recursive: true }) // the .part path is a folder: open fails
    await expect(
      exportDiagnostics({ dataDir, about: {}, choosePath: async () => target, now: NOW }),
    ).rejects.toThrow()
    expect(existsSync(target)).toBe(false)
  })
})
