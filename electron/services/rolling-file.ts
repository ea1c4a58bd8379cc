import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { DestinationStream } from 'pino'
import rollingStream from 'pino-roll'

/**
 * Size-rotated files with a bounded count, for the diagnostic log and the audit log: pino-roll's in-process
 * SonicBoom stream (not a pino worker-thread transport, which breaks once electron-vite bundles the main process into
 * one file). Files are opened for append and never rewritten; `<base>.<n><ext>` is written until it reaches
 * `maxBytes`, then `<n+1>` starts and only the newest `maxFiles` files are kept (the oldest is deleted — the
 * retention bound). A restart continues the highest number found in the folder.
 */

/** Where and how much. */
export interface RollingFileOptions {
  /** The folder (created when missing). Give each log its own folder: rotation counts every numbered file in it. */
  dir: string
  /** File name before numbering, with its extension: `station.log` → `station.1.log`, `station.2.log`… */
  baseName: string
  /** Roll once a file reaches this many bytes (≥ 1). */
  maxBytes: number
  /** Files kept in the folder, the current one included (≥ 2). */
  maxFiles: number
  /** A write, rotation or cleanup failure (disk full, permissions): the stream goes on with the next write. */
  onError: (error: Error) => void
}

/** An open rolling file: a pino destination. */
export interface RollingFile {
  stream: DestinationStream
  dir: string
  /** Close the current file (pending bytes written first). Idempotent. */
  close(): Promise<void>
}

/** Open the rolling file (synchronous writes: a record is on disk when the log call returns). */
export async function openRollingFile(options: RollingFileOptions): Promise<RollingFile> {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1)
    throw new RangeError('maxBytes must be ≥ 1')
  if (!Number.isInteger(options.maxFiles) || options.maxFiles < 2)
    throw new RangeError('maxFiles must be ≥ 2')
  mkdirSync(options.dir, { recursive: true })
  const stream = await rollingStream({
    file: join(options.dir, options.baseName),
    size: `${options.maxBytes}b`,
    // removeOtherLogFiles: count the files of earlier runs too, so the bound holds across restarts.
    limit: { count: options.maxFiles, removeOtherLogFiles: true },
    mkdir: true,
    sync: true,
  })
  stream.on('error', (error: Error) => options.onError(error))
  let closed: Promise<void> | null = null
  return {
    stream,
    dir: options.dir,
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (stream.destroyed) return resolve()
        stream.once('close', () => resolve())
        stream.end()
      })
      return closed
    },
  }
}

/** The numbered files of a rolling file in `dir` (`station.3.log`…), oldest first. Missing folder: none. */
export function rolledFiles(dir: string, baseName: string): string[] {
  const dot = baseName.lastIndexOf('.')
  const stem = dot > 0 ? baseName.slice(0, dot) : baseName
  const ext = dot > 0 ? baseName.slice(dot) : ''
  const pattern = new RegExp(`^${escape(stem)}\\.(\\d+)${escape(ext)}$`)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names
    .map((name) => ({ name, n: Number(pattern.exec(name)?.[1] ?? NaN) }))
    .filter((f) => Number.isInteger(f.n))
    .sort((a, b) => a.n - b.n)
    .map((f) => f.name)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
