import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AUDIT_LOG_NAME,
  auditDir,
  createFileAuditLog,
  createMemoryAuditLog,
} from '../../../electron/services/audit/audit-log'
import { AuditRecordError, type AuditRecord } from '../../../electron/services/audit/record'
import { createMemoryLogger } from '../../../electron/services/log'
import { rolledFiles } from '../../../electron/services/rolling-file'

const RID = '5e1f0000-0000-4000-8000-0000000000aa'
const CARD = 'c0ffee00-0000-4000-8000-0000000000b1'
const T0 = Date.parse('2026-03-14T10:15:02.000Z')

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function linesOf(file: string): AuditRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord)
}

describe('audit record allow-list', () => {
  const audit = () => createMemoryAuditLog({ operator: 'CORP\\operator1', now: () => T0 })

  it('writes one JSON line with every field, nulls for the unknown ones, time and operator added', () => {
    const log = audit()
    log.record({
      action: 'use-card',
      outcome: 'succeeded',
      requestId: RID.toUpperCase(),
      cardId: CARD,
      step: 'bind',
    })
    expect(log.lines).toHaveLength(1)
    expect(log.lines[0]).toMatch(/^\{"v":1,"time":/)
    expect(JSON.parse(log.lines[0]!)).toEqual({
      v: 1,
      time: '2026-03-14T10:15:02.000Z',
      operator: 'CORP\\operator1',
      action: 'use-card',
      outcome: 'succeeded',
      requestId: RID,
      holder: null,
      cardId: CARD,
      smartcardUuid: null,
      step: 'bind',
      writeId: null,
      correlationId: null,
      error: null,
    })
  })

  it.each([
    ['pin', { pin: '123456' }],
    ['adminKey', { adminKey: '010203040506070801020304050607080102030405060708' }],
    ['challenge', { challenge: '1hFD+cz/0so=' }],
    ['response', { response: 'F0Zudm4wPLY=' }],
    ['serverPin', { serverPin: '8841' }],
    ['comment', { comment: 'free text' }],
  ])('refuses a record with a %s field and writes nothing', (name, extra) => {
    const log = audit()
    let thrown: unknown
    try {
      log.record({ action: 'set-pin', outcome: 'succeeded', requestId: RID, ...extra } as never)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AuditRecordError)
    expect((thrown as AuditRecordError).paths).toEqual([name])
    // The refusal names the field, never its value.
    expect((thrown as Error).message).not.toContain(String(Object.values(extra)[0]))
    expect(log.lines).toEqual([])
  })

  it('refuses a secret smuggled into an allowed field: ids are GUIDs, codes are closed, correlation ids short tokens', () => {
    const log = audit()
    const attempts = [
      { requestId: '123456' },
      { cardId: '0102030405060708' },
      { error: 'wrong pin 1234' },
      { correlationId: 'PIN is 123456' },
      { step: 'set pin 1234' },
      { action: 'pin:1234' },
      { outcome: '1234' },
    ]
    for (const attempt of attempts) {
      expect(() => log.record({ action: 'set-pin', outcome: 'failed', ...attempt } as never)).toThrow(
        AuditRecordError,
      )
    }
    expect(log.lines).toEqual([])
  })
})

describe('file audit log', () => {
  it('appends JSON lines in <dataDir>/audit/audit.1.jsonl, and a restart appends to the same file (never truncates)', async () => {
    const dataDir = tempDir()
    const log = createMemoryLogger()
    const first = await createFileAuditLog({ dataDir, operator: 'CORP\\ana', log })
    first.record({ action: 'start-enrollment', outcome: 'succeeded', requestId: RID })
    // Synchronous appends: the line is on disk when record returns.
    const file = join(auditDir(dataDir), 'audit.1.jsonl')
    expect(linesOf(file)).toHaveLength(1)
    await first.close()
    const second = await createFileAuditLog({ dataDir, operator: 'CORP\\ana', log })
    second.record({ action: 'step', outcome: 'finished', requestId: RID, step: 'approval' })
    await second.close()
    expect(linesOf(file).map((r) => [r.action, r.operator])).toEqual([
      ['start-enrollment', 'CORP\\ana'],
      ['step', 'CORP\\ana'],
    ])
    expect(log.lines).toEqual([])
  })

  it('rotates by size and keeps a bounded number of files (across restarts too)', async () => {
    const dataDir = tempDir()
    const dir = auditDir(dataDir)
    const log = createMemoryLogger()
    const maxFiles = 3
    const maxBytes = 600 // ~2 records per file
    let written = 0
    for (let run = 0; run < 2; run++) {
      const audit = await createFileAuditLog({ dataDir, operator: 'CORP\\ana', log, maxBytes, maxFiles })
      for (let i = 0; i < 12; i++) {
        audit.record({ action: 'step', outcome: 'finished', requestId: RID, step: 'card', writeId: null })
        written++
        // pino-roll rolls after the stream drains (next tick): give it that turn, as real records have.
        await new Promise((r) => setImmediate(r))
      }
      await vi.waitFor(() => expect(readdirSync(dir).length).toBeLessThanOrEqual(maxFiles))
      await audit.close()
    }
    const files = rolledFiles(dir, AUDIT_LOG_NAME)
    expect(readdirSync(dir).sort()).toEqual([...files].sort())
    expect(files).toHaveLength(maxFiles)
    // Numbering went on past the bound (older files were deleted), newest last.
    const numbers = files.map((f) => Number(/\.(\d+)\.jsonl$/.exec(f)![1]))
    expect(numbers[2]).toBeGreaterThan(maxFiles)
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    // Every kept line is a whole record; the newest file ends with the last one written.
    const kept = files.flatMap((f) => linesOf(join(dir, f)))
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(written)
    expect(kept.every((r) => r.requestId === RID && r.action === 'step')).toBe(true)
    expect(log.lines).toEqual([])
  })
})
