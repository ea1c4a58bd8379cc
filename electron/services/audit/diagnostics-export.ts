import { once } from 'node:events'
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { strToU8, Zip, ZipDeflate } from 'fflate'
import { StationError } from '../../../shared/errors'
import type { DiagnosticsExportResult } from '../../../shared/ipc/app'
import type { Logger } from '../log'
import { DIAGNOSTIC_LOG_NAME, diagnosticLogDir } from '../log-file'
import { rolledFiles } from '../rolling-file'
import { AUDIT_LOG_NAME, auditDir } from './audit-log'

/**
 * "Export diagnostics" for the help desk: one zip of the diagnostic log files, the audit log files and `about.json`
 * (what and where this station is). Everything in it is already secret-free: the logs are redacted at their sink and
 * audit records are an allow-list of ids and codes; `about.json` is built from an allow-list too (station.ts).
 */

/** Options of one export. */
export interface ExportDiagnosticsOptions {
  /** The station's data directory (logs in `logs/`, audit in `audit/`). */
  dataDir: string
  /** The JSON-plain contents of `about.json` (no secrets: the caller builds it from an allow-list). */
  about: Record<string, unknown>
  /**
   * Where to write `fileName`: an absolute path, or null when the operator canceled (Electron: a save dialog; the
   * preview: `defaultExportPath`).
   */
  choosePath: (fileName: string) => Promise<string | null>
  /** Clock for the file name (tests). */
  now?: () => Date
}

/** `station-diagnostics-20260314-101502.zip` (UTC), so exports sort by time and never collide within a second. */
export function diagnosticsFileName(now: Date): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `station-diagnostics-${t}.zip`
}

/** Folder of exports when no dialog asks (the preview, tests): `<dataDir>/exports`. */
export function defaultExportPath(dataDir: string): (fileName: string) => Promise<string> {
  return async (fileName) => join(dataDir, 'exports', fileName)
}

/** The files an export takes: `[name in the zip, path on disk]`, diagnostic log then audit log, oldest first. */
export function diagnosticsFiles(dataDir: string): Array<[string, string]> {
  const logs = diagnosticLogDir(dataDir)
  const audit = auditDir(dataDir)
  return [
    ...rolledFiles(logs, DIAGNOSTIC_LOG_NAME).map((f): [string, string] => [`logs/${f}`, join(logs, f)]),
    ...rolledFiles(audit, AUDIT_LOG_NAME).map((f): [string, string] => [`audit/${f}`, join(audit, f)]),
  ]
}

const CHUNK = 1024 * 1024

/**
 * Write the zip where `choosePath` says (through a `.part` file renamed at the end, so a half-written zip never
 * carries the final name). Files are read up to the size they had when the export began (the logs keep growing
 * meanwhile) in 1 MB chunks, so a large log does not hold the main process. Throws on I/O failure (the partial file
 * is removed).
 */
export async function exportDiagnostics(options: ExportDiagnosticsOptions): Promise<DiagnosticsExportResult> {
  const fileName = diagnosticsFileName((options.now ?? (() => new Date()))())
  const target = await options.choosePath(fileName)
  if (target === null) return { status: 'canceled' }
  mkdirSync(dirname(target), { recursive: true })
  const part = `${target}.part`
  const out = createWriteStream(part)
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject))
  failed.catch(() => {})
  let pending: Uint8Array[] = []
  let zipError: Error | null = null
  let done = false
  const zip = new Zip((error, chunk, final) => {
    if (error) zipError = error
    else pending.push(chunk)
    if (final) done = true
  })
  const drain = async () => {
    if (zipError) throw zipError
    const chunks = pending
    pending = []
    for (const chunk of chunks) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed])
    }
  }
  try {
    const about = new ZipDeflate('about.json', { level: 6 })
    zip.add(about)
    about.push(strToU8(JSON.stringify(options.about, null, 2)), true)
    await drain()
    for (const [name, path] of diagnosticsFiles(options.dataDir)) {
      const stat = statSync(path, { throwIfNoEntry: false })
      if (!stat) continue // rotated away since it was listed
      const entry = new ZipDeflate(name, { level: 6 })
      entry.mtime = stat.mtime
      zip.add(entry)
      if (stat.size > 0) {
        for await (const chunk of createReadStream(path, { end: stat.size - 1, highWaterMark: CHUNK })) {
          entry.push(chunk as Buffer)
          await drain()
        }
      }
      entry.push(new Uint8Array(0), true)
      await drain()
    }
    zip.end()
    await drain()
    if (!done) throw new Error('zip did not finish')
    out.end()
    await Promise.race([once(out, 'close'), failed])
    renameSync(part, target)
  } catch (error) {
    out.destroy()
    try {
      rmSync(part, { force: true })
    } catch {
      // Nothing to remove, or not ours to remove: the export failed either way.
    }
    throw error
  }
  return { status: 'saved', path: target, fileName: basename(target) }
}

/** Dependencies of the `app:export-diagnostics` handler. */
export interface DiagnosticsHandlerDeps {
  dataDir: string
  /** about.json, built at each export (the readers' state of that moment). */
  about: () => Record<string, unknown>
  choosePath: (fileName: string) => Promise<string | null>
  log: Logger
}

/** The `app:export-diagnostics` handler, in the router's Handlers style. A failure is `export-failed`. */
export function createDiagnosticsHandlers(deps: DiagnosticsHandlerDeps): {
  'app:export-diagnostics': () => Promise<DiagnosticsExportResult>
} {
  return {
    async 'app:export-diagnostics'() {
      try {
        const result = await exportDiagnostics({
          dataDir: deps.dataDir,
          about: deps.about(),
          choosePath: deps.choosePath,
        })
        deps.log.info('diagnostics: exported', {
          status: result.status,
          ...(result.status === 'saved' ? { path: result.path } : {}),
        })
        return result
      } catch (error) {
        deps.log.error('diagnostics: export failed', { error })
        throw new StationError('export-failed')
      }
    },
  }
}
