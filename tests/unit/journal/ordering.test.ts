import type { RetireJournalEntry } from '../../../electron/services/journal/entry'
import type { WriteClient } from '../../../electron/services/journal/write-service'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nodeJournalFs, type JournalFs } from '../../../electron/services/journal/atomic-file'
import { parseJournal } from '../../../electron/services/journal/entry'
import { WriteJournal } from '../../../electron/services/journal/journal'
import { CmWriteService } from '../../../electron/services/journal/write-service'
import type { RetireClient } from '../../../electron/services/cm/retire'
import { createMemoryLogger } from '../../../electron/services/log'
import type { SmartcardUuid } from '../../../shared/domain/cm'
import { hits, simClient } from '../cm-client/sim-client'
import { ManualTimers, useSimAndJournal } from './helpers'

// The journal's durability ORDER: what is on disk at the moment of each server call (a crash can come
// between any two calls).

const CARD = '7a000000-0000-4000-8000-000000000001' as SmartcardUuid

const t = useSimAndJournal()

/** What the journal FILE says about the only entry right now. */
function onDisk(): RetireJournalEntry | undefined {
  const parsed = parseJournal(readFileSync(t.file, 'utf8'))
  const e = parsed?.entries[0]
  return e?.kind === 'retire' ? e : undefined
}

describe('journal ordering around the server writes', () => {
  it('entry on disk before the first call; createSent before the POST; requestId before the next call', async () => {
    const { client } = simClient(t.sim, 'CORP\\operator1')
    const seen: string[] = []
    const spy: RetireClient = {
      getSmartcardOperations: (...a) => {
        seen.push(`E18 entry=${onDisk()?.state}`)
        return client.getSmartcardOperations(...a)
      },
      listRequests: (...a) => {
        seen.push(`E06 createSent=${onDisk()?.progress.createSent}`)
        return client.listRequests(...a)
      },
      createRequest: (...a) => {
        seen.push(`E05 createSent=${onDisk()?.progress.createSent}`)
        return client.createRequest(...a)
      },
      getRequest: (...a) => {
        seen.push(`E07 requestId=${onDisk()?.progress.requestId === a[0]}`)
        return client.getRequest(...a)
      },
      getSmartcard: (...a) => client.getSmartcard(...a),
      retireSmartcard: (...a) => client.retireSmartcard(...a),
      completeRequest: (...a) => client.completeRequest(...a),
    }
    const log = createMemoryLogger()
    const writes = new CmWriteService({
      journal: WriteJournal.open({ file: t.file, log }),
      cm: spy as WriteClient,
      log,
    })
    await writes.retire({ smartcardUuid: CARD })
    expect(seen).toEqual([
      'E18 entry=pending',
      'E06 createSent=false',
      'E05 createSent=true',
      'E07 requestId=true',
    ])
    expect(onDisk()?.state).toBe('done')
  })

  it('if the journal cannot record the coming POST, nothing is posted', async () => {
    const { client } = simClient(t.sim, 'CORP\\operator1')
    let armed = false
    const fsx: JournalFs = {
      ...nodeJournalFs,
      writeSync(fd, buffer, offset, length) {
        if (armed) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' })
        return nodeJournalFs.writeSync(fd, buffer, offset, length)
      },
    }
    const cm: RetireClient = {
      getSmartcardOperations: (...a) => client.getSmartcardOperations(...a),
      getRequest: (...a) => client.getRequest(...a),
      getSmartcard: (...a) => client.getSmartcard(...a),
      retireSmartcard: (...a) => client.retireSmartcard(...a),
      completeRequest: (...a) => client.completeRequest(...a),
      createRequest: (...a) => client.createRequest(...a),
      listRequests: async (...a) => {
        const list = await client.listRequests(...a)
        armed = true // the disk fills up just before the journal records the POST
        return list
      },
    }
    const log = createMemoryLogger()
    const timers = new ManualTimers()
    const writes = new CmWriteService({
      journal: WriteJournal.open({ file: t.file, log, fs: fsx }),
      cm: cm as WriteClient,
      log,
      timers,
    })
    await expect(writes.retire({ smartcardUuid: CARD })).rejects.toMatchObject({ code: 'internal' })
    expect(hits(t.sim, 'E05')).toBe(0)
    expect(log.lines.join('\n')).toContain('ENOSPC')
  })
})
