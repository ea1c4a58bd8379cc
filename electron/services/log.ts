import { redact } from './redact'

/** Structured log fields. Values pass through the redactor at the sink. */
export type LogFields = Record<string, unknown>

/** Minimal structured logger injected into every service. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** A line-oriented sink: every record is redacted before it is written. */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  minLevel: Level = (process.env.STATION_LOG_LEVEL as Level | undefined) ?? 'info',
): Logger {
  const emit = (level: Level, msg: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[minLevel]) return
    const record = {
      t: new Date().toISOString(),
      level,
      msg,
      ...(fields ? (redact(fields) as LogFields) : {}),
    }
    write(JSON.stringify(record))
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  }
}

/** A logger that keeps records in memory (tests assert that secrets never reach it). */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(
    createLogger((l) => lines.push(l), 'debug'),
    { lines },
  )
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
