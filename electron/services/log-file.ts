import { join } from 'node:path'
import { pino, type DestinationStream } from 'pino'
import { fromPino, pinoOptions, type Logger, type LogLevel } from './log'
import { openRollingFile } from './rolling-file'

/** Folder of the diagnostic log in the data directory. */
export function diagnosticLogDir(dataDir: string): string {
  return join(dataDir, 'logs')
}

/** File name of the diagnostic log before numbering (`station.1.log`, `station.2.log`…). */
export const DIAGNOSTIC_LOG_NAME = 'station.log'

/** Rotation of the diagnostic log: 5 MB per file, 5 files (≤ 25 MB on disk). */
export const DIAGNOSTIC_LOG_ROTATION = { maxBytes: 5 * 1024 * 1024, maxFiles: 5 } as const

/** Options of the production diagnostic log. */
export interface FileLoggerOptions {
  /** The station's data directory; the log goes to `<dataDir>/logs/station.<n>.log`. */
  dataDir: string
  /** Configuration `logLevel`. */
  level: LogLevel
  /** Also write every line to stderr (the preview, `electron-vite dev`); an installed app writes the file only. */
  stderr: boolean
  /** Rotation (default DIAGNOSTIC_LOG_ROTATION). */
  maxBytes?: number
  maxFiles?: number
}

/** The diagnostic log: a Logger that also closes its file. */
export interface FileLogger extends Logger {
  /** Folder of the log files. */
  dir: string
  /** Close the current file (the last lines written first). */
  close(): Promise<void>
}

/**
 * The station's diagnostic log on pino: JSON lines (level name, ISO time, message, redacted fields) in a file rotated
 * by size with a bounded number of files, and on stderr when asked. A failure of the file (disk full) is told once on
 * stderr and does not stop the station.
 */
export async function createFileLogger(options: FileLoggerOptions): Promise<FileLogger> {
  let told = false
  const file = await openRollingFile({
    dir: diagnosticLogDir(options.dataDir),
    baseName: DIAGNOSTIC_LOG_NAME,
    maxBytes: options.maxBytes ?? DIAGNOSTIC_LOG_ROTATION.maxBytes,
    maxFiles: options.maxFiles ?? DIAGNOSTIC_LOG_ROTATION.maxFiles,
    onError: (error) => {
      if (told) return
      told = true
      process.stderr.write(`station log: cannot write the log file (${errorCode(error)})\n`)
    },
  })
  const streams: DestinationStream | pino.MultiStreamRes = options.stderr
    ? pino.multistream([
        { level: options.level, stream: file.stream },
        { level: options.level, stream: process.stderr },
      ])
    : file.stream
  const logger = fromPino(pino(pinoOptions(options.level), streams))
  return { ...logger, dir: file.dir, close: () => file.close() }
}

function errorCode(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.name
}
