import { join } from 'node:path'
import { pino, type DestinationStream } from 'pino'
import type { Logger } from '../log'
import { openRollingFile } from '../rolling-file'
import { AUDIT_RECORD_VERSION, toAuditRecord, type AuditRecord, type AuditRecordInput } from './record'

/** Folder of the audit log in the data directory. */
export function auditDir(dataDir: string): string {
  return join(dataDir, 'audit')
}

/** File name of the audit log before numbering (`audit.1.jsonl`, `audit.2.jsonl`…). */
export const AUDIT_LOG_NAME = 'audit.jsonl'

/** Rotation of the audit log: 10 MB per file (~30,000 records), 10 files (≤ 100 MB on disk). */
export const AUDIT_LOG_ROTATION = { maxBytes: 10 * 1024 * 1024, maxFiles: 10 } as const

/**
 * The station's audit trail: one JSON line per operator action, CM write and enrollment step (record.ts says which
 * layer records what). Append-only: the station only ever appends lines; rotation starts a new file and deletes the
 * oldest beyond the bound.
 */
export interface AuditLog {
  /**
   * Append one record (time and operator added). Throws AuditRecordError — and writes nothing — when the input has a
   * field outside the allow-list or a value of the wrong shape.
   */
  record(input: AuditRecordInput): AuditRecord
  /** Close the file (idempotent). */
  close(): Promise<void>
}

/** Options shared by the file and memory audit logs. */
interface AuditCoreOptions {
  /** The account CM sees as the caller (operator.ts). */
  operator: string
  /** Clock (tests); default Date.now. */
  now?: () => number
}

/**
 * One record per line through pino: no level, no message, no pid or host. pino opens every line with its level
 * field; the level formatter makes that the record's format version `v` instead, then the record follows.
 */
function auditWriter(stream: DestinationStream, options: AuditCoreOptions) {
  const logger = pino(
    {
      level: 'info',
      base: null,
      timestamp: false,
      formatters: { level: () => ({ v: AUDIT_RECORD_VERSION }) },
    },
    stream,
  )
  const now = options.now ?? Date.now
  return (input: AuditRecordInput): AuditRecord => {
    const record = toAuditRecord(input, options.operator, new Date(now()).toISOString())
    const { v: _v, ...fields } = record
    logger.info(fields)
    return record
  }
}

/** Options of the file-backed audit log. */
export interface FileAuditLogOptions extends AuditCoreOptions {
  /** The station's data directory; records go to `<dataDir>/audit/audit.<n>.jsonl`. */
  dataDir: string
  /** The diagnostic log, told when the audit file cannot be written (disk full, permissions). */
  log: Logger
  /** Rotation (default AUDIT_LOG_ROTATION). */
  maxBytes?: number
  maxFiles?: number
}

/** Open the audit log in the data directory (pino over a pino-roll stream, synchronous appends). */
export async function createFileAuditLog(options: FileAuditLogOptions): Promise<AuditLog & { dir: string }> {
  const file = await openRollingFile({
    dir: auditDir(options.dataDir),
    baseName: AUDIT_LOG_NAME,
    maxBytes: options.maxBytes ?? AUDIT_LOG_ROTATION.maxBytes,
    maxFiles: options.maxFiles ?? AUDIT_LOG_ROTATION.maxFiles,
    onError: (error) => options.log.error('audit: cannot write the audit log', { error }),
  })
  const write = auditWriter(file.stream, options)
  return { record: write, close: () => file.close(), dir: file.dir }
}

/** An audit log in memory (tests): the lines as written, and the records parsed back. */
export function createMemoryAuditLog(
  options: AuditCoreOptions,
): AuditLog & { lines: string[]; records(): AuditRecord[] } {
  const lines: string[] = []
  const write = auditWriter({ write: (chunk: string) => lines.push(chunk.replace(/\n$/, '')) }, options)
  return {
    record: write,
    close: async () => {},
    lines,
    records: () => lines.map((l) => JSON.parse(l) as AuditRecord),
  }
}
