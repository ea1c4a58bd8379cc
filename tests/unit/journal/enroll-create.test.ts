import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseJournal, type EnrollJournalEntry } from '../../../electron/services/journal/entry'
import type { ProfileTemplateId, RequestId, UserUuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { hits, simClient } from '../cm-client/sim-client'
import { makeWrites, useSimAndJournal } from './helpers'

// The on-behalf Enroll request (E05) through the write journal against the REAL CM simulator on loopback (issue
// "Measured, not assumed" §4): created once, a lost answer adopted through E06 — never a second request — and the
// entry done only once the enrollment service has taken the request over.

const OPERATOR = 'CORP\\operator1'
const ALICE = 'a11ce000-0000-4000-8000-00000000a11c' as UserUuid
const TEMPLATE = 'e1000000-5151-4a00-8000-000000000005' as ProfileTemplateId
const INPUT = {
  holderUuid: ALICE,
  templateId: TEMPLATE,
  comment: '',
  dataCollection: [],
  fromSmartcardUuid: null,
}

const t = useSimAndJournal()

/** Alice's Enroll requests on the template, as CM holds them. */
function aliceRequests() {
  return t.sim.control
    .state()
    .Requests.filter(
      (r) => r.RequestType === 1 && r.TargetUserUuid === ALICE && r.ProfileTemplateUuid === TEMPLATE,
    )
}

function enrollEntry(journal: { get(id: string): unknown }, id: string): EnrollJournalEntry {
  return journal.get(id) as EnrollJournalEntry
}

describe('Enroll request creation through the journal (E05, real simulator)', () => {
  it('creates once and hands the request over before the entry is done; the file keeps only ids and inputs', async () => {
    const { client } = simClient(t.sim, OPERATOR)
    const { writes, journal } = makeWrites(client, t.file)
    const handed: Array<{ rid: RequestId; state: string | undefined }> = []
    writes.takeEnrollRequests(async (rid, entry) => {
      handed.push({ rid, state: journal.get(entry.id)?.state })
    })
    const r = await writes.createEnroll({ ...INPUT, comment: 'first badge' })
    expect(aliceRequests().map((q) => q.Uuid)).toEqual([r.requestId])
    // Handed over while the entry was still open: a crash before the handover ends leaves it to run again.
    expect(handed).toEqual([{ rid: r.requestId, state: 'pending' }])
    expect(enrollEntry(journal, r.writeId)).toMatchObject({
      kind: 'enroll',
      state: 'done',
      input: { holderUuid: ALICE, templateId: TEMPLATE, comment: 'first badge' },
      progress: { createSent: true, requestId: r.requestId, adopted: false, priorOpenRequestIds: [] },
    })
    expect(writes.list()).toEqual([])
    expect(parseJournal(readFileSync(t.file, 'utf8'))?.entries[0]).toMatchObject({ kind: 'enroll' })
  })

  it('the handover fails: the entry stays open with its request id; the retry hands over again, no second E05', async () => {
    const { client } = simClient(t.sim, OPERATOR)
    const { writes, journal, timers } = makeWrites(client, t.file)
    let fail = true
    const handed: RequestId[] = []
    writes.takeEnrollRequests(async (rid) => {
      if (fail) throw new StationError('network')
      handed.push(rid)
    })
    await expect(writes.createEnroll(INPUT)).rejects.toMatchObject({ code: 'network' })
    const [view] = writes.list()
    expect(view).toMatchObject({ kind: 'enroll', state: 'pending', requestId: aliceRequests()[0]!.Uuid })
    fail = false
    const settled = new Promise((resolve) => writes.onSettled(resolve))
    timers.fireAll()
    await settled
    expect(enrollEntry(journal, view!.id).state).toBe('done')
    expect(handed).toEqual([aliceRequests()[0]!.Uuid])
    expect(hits(t.sim, 'E05')).toBe(1)
  })

  it('an answer lost after the server created the request is adopted through E06 — one E05 only', async () => {
    const { client } = simClient(t.sim, OPERATOR)
    const { writes, journal, timers } = makeWrites(client, t.file)
    writes.takeEnrollRequests(async () => {})
    t.sim.control.addFault({
      match: { route: 'E05', times: 1 },
      action: { type: 'drop', when: 'before-headers', afterHandler: true },
    })
    await expect(writes.createEnroll(INPUT)).rejects.toMatchObject({ code: 'network' })
    const [view] = writes.list()
    expect(view).toMatchObject({ kind: 'enroll', state: 'pending', requestId: null })
    // A second Start for the same holder and template reuses the open entry: E06 finds the request.
    const r = await writes.createEnroll(INPUT)
    expect(r).toMatchObject({ writeId: view!.id, adopted: true, requestId: aliceRequests()[0]!.Uuid })
    expect(enrollEntry(journal, view!.id)).toMatchObject({ state: 'done', progress: { adopted: true } })
    expect(aliceRequests()).toHaveLength(1)
    expect(hits(t.sim, 'E05')).toBe(1)
    expect(timers.pending.size).toBe(0)
  })

  it('a POST that never reached the server is sent again; a request open before it is never taken for ours', async () => {
    const { client } = simClient(t.sim, OPERATOR)
    // Alice already has an open Enroll request on the template (another badge being issued elsewhere).
    const before = await client.createRequest({
      type: 'Enroll',
      profileTemplateUuid: TEMPLATE,
      target: ALICE,
    })
    const { writes } = makeWrites(client, t.file)
    writes.takeEnrollRequests(async () => {})
    t.sim.control.addFault({
      match: { route: 'E05', times: 1 },
      action: { type: 'drop', when: 'before-headers' },
    })
    await expect(writes.createEnroll(INPUT)).rejects.toMatchObject({ code: 'network' })
    const r = await writes.createEnroll(INPUT)
    expect(r.adopted).toBe(false)
    expect(r.requestId).not.toBe(before)
    expect(
      aliceRequests()
        .map((q) => q.Uuid)
        .sort(),
    ).toEqual([before, r.requestId].sort())
  })

  it('a refused POST (403) stays visible as failed, with its code; the schema refuses an enroll entry with extra fields', async () => {
    const { client } = simClient(t.sim, 'CORP\\helpdesk1')
    const { writes } = makeWrites(client, t.file)
    writes.takeEnrollRequests(async () => {})
    // The helpdesk may not initiate Enroll: E05 answers 403 — the POST was sent, so the entry stays, failed.
    await expect(writes.createEnroll(INPUT)).rejects.toMatchObject({ code: 'forbidden' })
    expect(writes.list()).toMatchObject([
      { kind: 'enroll', state: 'failed', lastError: { code: 'forbidden' } },
    ])
    const file = JSON.parse(readFileSync(t.file, 'utf8')) as { entries: Array<{ input: object }> }
    file.entries[0]!.input = { ...file.entries[0]!.input, pin: '12345678' }
    expect(parseJournal(JSON.stringify(file))).toBeNull()
  })
})
