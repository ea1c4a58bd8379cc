import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nodeJournalFs, type JournalFs } from '../../../electron/services/journal/atomic-file'
import type { JournalEntry, RetireJournalEntry } from '../../../electron/services/journal/entry'
import { WriteJournal, type NewJournalEntry } from '../../../electron/services/journal/journal'
import { createMemoryLogger } from '../../../electron/services/log'
import type { SmartcardUuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { tempDir } from './helpers'

/** The entry as a retire entry (these tests only add retires). */
function retireOf(e: JournalEntry | undefined): RetireJournalEntry | undefined {
  return e?.kind === 'retire' ? e : undefined
}

const SCID = '7a000000-0000-4000-8000-000000000001' as SmartcardUuid
let n = 0
function entry(over: Partial<NewJournalEntry> = {}): NewJournalEntry {
  n += 1
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    kind: 'retire',
    state: 'pending',
    attempts: 0,
    autoRetries: 0,
    nextRetryAt: null,
    input: {
      smartcardUuid: SCID,
      comment: 'lost badge',
      dataCollection: [{ name: 'Reason', value: 'lost' }],
    },
    progress: { requestId: null, createSent: false, priorOpenRequestIds: [], adopted: false },
    lastError: null,
    ...over,
  }
}

let dir: string
let cleanup: () => void
let file: string
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = join(dir, 'journal-test.json')
})
afterEach(() => cleanup())

function open(extra: { fs?: JournalFs; keepDone?: number; reset?: boolean; now?: () => number } = {}) {
  const log = createMemoryLogger()
  return { journal: WriteJournal.open({ file, log, ...extra }), log }
}

describe('WriteJournal persistence', () => {
  it('saves every change and a new instance (a restart) reads the same entries back', () => {
    let t = Date.parse('2025-01-02T03:04:05.000Z')
    const { journal } = open({ now: () => t })
    const a = journal.add(entry())
    t += 1000
    journal.updateKind(a.id, 'retire', (e) => {
      e.progress.requestId = 'b105403d-d021-41ea-9f11-be3d677d229e' as never
      e.lastError = { code: 'server-error', correlationId: 'abc' }
    })
    const b = journal.add(entry())

    const again = open().journal
    expect(again.list().map((e) => e.id)).toEqual([a.id, b.id])
    expect(again.get(a.id)).toMatchObject({
      createdAt: '2025-01-02T03:04:05.000Z',
      updatedAt: '2025-01-02T03:04:06.000Z',
      progress: { requestId: 'b105403d-d021-41ea-9f11-be3d677d229e' },
      lastError: { code: 'server-error', correlationId: 'abc' },
    })
    again.remove(b.id)
    expect(
      open()
        .journal.list()
        .map((e) => e.id),
    ).toEqual([a.id])
  })

  it('hands out copies: changing a listed entry does not change the journal', () => {
    const { journal } = open()
    const a = journal.add(entry())
    const listed = journal.list()[0] as JournalEntry
    listed.state = 'done'
    expect(journal.get(a.id)?.state).toBe('pending')
  })

  it('notifies listeners with the whole list after each change', () => {
    const { journal } = open()
    const seen: number[] = []
    const off = journal.onChange((entries) => seen.push(entries.length))
    const a = journal.add(entry())
    journal.add(entry())
    journal.remove(a.id)
    off()
    journal.add(entry())
    expect(seen).toEqual([1, 2, 1])
  })

  it('keeps only the newest done entries (bounded audit window)', () => {
    let t = 0
    const { journal } = open({ keepDone: 2, now: () => (t += 1000) })
    const ids = [journal.add(entry()).id, journal.add(entry()).id, journal.add(entry()).id]
    const open1 = journal.add(entry()).id
    for (const id of ids) journal.update(id, (e) => void (e.state = 'done'))
    expect(
      open()
        .journal.list()
        .map((e) => e.id),
    ).toEqual([ids[1], ids[2], open1])
  })

  it('reset (training mode) deletes the old file and starts empty', () => {
    open().journal.add(entry())
    expect(open({ reset: true }).journal.list()).toEqual([])
    expect(fs.existsSync(file)).toBe(false)
  })
})

describe('WriteJournal crash safety', () => {
  /** A file system that tears the temp file half-way (the process "dies" mid-write: no cleanup, no rename). */
  function tearingFs(): JournalFs & { arm(): void } {
    let armed = false
    return {
      ...nodeJournalFs,
      arm: () => void (armed = true),
      writeSync(fd, buffer, offset, length) {
        if (!armed) return nodeJournalFs.writeSync(fd, buffer, offset, length)
        nodeJournalFs.writeSync(fd, buffer, offset, Math.floor(length / 2))
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' })
      },
      unlinkSync(path) {
        // A dying process cleans nothing up: leave the torn temp file where it is.
        if (armed && path.endsWith('.tmp')) return
        nodeJournalFs.unlinkSync(path)
      },
    }
  }

  it('a torn temp file never replaces the journal; the next open removes it', () => {
    const tearing = tearingFs()
    const { journal } = open({ fs: tearing })
    const a = journal.add(entry())
    const before = fs.readFileSync(file, 'utf8')
    tearing.arm()
    // add: refused, and nothing kept in memory (its server write must not happen).
    expect(() => journal.add(entry())).toThrow(StationError)
    expect(journal.list().map((e) => e.id)).toEqual([a.id])
    expect(fs.readFileSync(file, 'utf8')).toBe(before)
    expect(fs.existsSync(`${file}.tmp`)).toBe(true)
    expect(() => JSON.parse(fs.readFileSync(`${file}.tmp`, 'utf8'))).toThrow()

    const { journal: restarted, log } = open()
    expect(restarted.list().map((e) => e.id)).toEqual([a.id])
    expect(fs.existsSync(`${file}.tmp`)).toBe(false)
    expect(log.lines.join('\n')).toContain('torn temp file')
  })

  it('an update that cannot be saved throws internal, keeps the change in memory and saves it next time', () => {
    const tearing = tearingFs()
    const { journal, log } = open({ fs: tearing })
    const a = journal.add(entry())
    tearing.arm()
    let thrown: unknown
    try {
      journal.updateKind(a.id, 'retire', (e) => void (e.progress.createSent = true))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(StationError)
    expect((thrown as StationError).code).toBe('internal')
    expect(log.lines.join('\n')).toContain('ENOSPC')
    expect(retireOf(open().journal.get(a.id))?.progress.createSent).toBe(false)
    expect(retireOf(journal.get(a.id))?.progress.createSent).toBe(true)
  })

  it('a failed rename leaves the previous journal intact', () => {
    const { journal } = open()
    const a = journal.add(entry())
    const failing: JournalFs = {
      ...nodeJournalFs,
      renameSync: () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' })
      },
    }
    const broken = WriteJournal.open({ file, log: createMemoryLogger(), fs: failing })
    expect(() => broken.add(entry())).toThrow(StationError)
    expect(
      open()
        .journal.list()
        .map((e) => e.id),
    ).toEqual([a.id])
    expect(fs.existsSync(`${file}.tmp`)).toBe(false)
  })
})

describe('WriteJournal corruption', () => {
  const cases: Array<[string, string]> = [
    ['garbage', '{"version":1,"entries":[{"id"'],
    ['not an object', '[1,2,3]'],
    ['a future version', JSON.stringify({ version: 2, entries: [] })],
    [
      'an unknown field (nothing but the schema is ever loaded)',
      JSON.stringify({ version: 1, entries: [{ ...entry(), createdAt: 'x', updatedAt: 'x', pin: '1234' }] }),
    ],
  ]
  for (const [name, text] of cases) {
    it(`quarantines ${name}: renamed aside with its bytes, journal empty, logged`, () => {
      fs.writeFileSync(file, text)
      const { journal, log } = open({ now: () => Date.parse('2025-06-07T08:09:10.111Z') })
      expect(journal.list()).toEqual([])
      expect(fs.existsSync(file)).toBe(false)
      const aside = join(dir, 'journal-test.json.corrupt-2025-06-07T08-09-10-111Z')
      expect(fs.readFileSync(aside, 'utf8')).toBe(text)
      expect(log.lines.join('\n')).toContain('moved aside')
      // It works normally afterwards.
      journal.add(entry())
      expect(open().journal.list()).toHaveLength(1)
    })
  }
})
