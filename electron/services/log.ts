import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino'
import { redact, redactUrl } from './redact'

/** Structured log fields. Values pass through the redactor at the sink. */
export type LogFields = Record<string, unknown>

/** Minimal structured logger injected into every service. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

/** The station's log levels (configuration `logLevel`), lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** True if `value` names a level (STATION_LOG_LEVEL is checked before use). */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value)
}

/**
 * pino options shared by every station log: one JSON object per line, `level` as its name (`"info"`), `time` as an
 * ISO instant, no pid/hostname (the diagnostics export says which station it is).
 */
export function pinoOptions(level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }
}

/**
 * The station's Logger over a pino instance. The message and every field go through the redactor first
 * (conventions §11: redact at the sink), so a PIN, key, challenge or response in a field never reaches a line.
 */
export function fromPino(logger: PinoLogger): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (!logger.isLevelEnabled(level)) return
    logger[level](fields ? (redact(fields) as LogFields) : {}, redactUrl(msg))
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  }
}

/** STATION_LOG_LEVEL when it names a level, else `info`. */
function envLevel(): LogLevel {
  const value = process.env.STATION_LOG_LEVEL
  return isLogLevel(value) ? value : 'info'
}

/**
 * A line-oriented sink on pino: every record is redacted, then written as one JSON line (without its newline) to
 * `write`. Default: stderr at STATION_LOG_LEVEL (else `info`). The production file log is `createFileLogger`
 * (log-file.ts); tests and CLIs use this one.
 */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  minLevel: LogLevel = envLevel(),
): Logger {
  // pino writes synchronously to a plain object stream: a line is written when the call returns.
  const stream: DestinationStream = { write: (chunk: string) => write(chunk.replace(/\n$/, '')) }
  return fromPino(pino(pinoOptions(minLevel), stream))
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
