import { describe, expect, it } from 'vitest'
import type { BindJournalEntry, RequestStatusJournalEntry } from '../../../electron/services/journal/entry'
import type { CardId, RequestId } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { docCsr, hits, simClient } from '../cm-client/sim-client'
import { makeWrites, useSimAndJournal } from './helpers'

// Bind (E11), complete and cancel (E08) through the write journal against the REAL CM simulator on loopback: a
// lost answer is adopted through E07, never sent twice (issue "Issue a badge", §Deliver 1 "Complete"/"Bind").

const OPERATOR = 'CORP\\operator1'
const ALICE = 'a11ce000-0000-4000-8000-00000000a11c'
const SERVER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000001'
const NEW_CARD = 'c0ffee00-0000-4000-8000-0000000000b1' as CardId
const ATR = '3b8d0180fba000000397425446590301c8'

const t = useSimAndJournal()

async function caught(p: Promise<unknown>): Promise<StationError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(StationError)
  return e as StationError
}

/** An Approved Enroll request on behalf of Alice, created as the operator. */
async function enrollRequest() {
  const { client } = simClient(t.sim, OPERATOR)
  const rid = await client.createRequest({
    type: 'Enroll',
    profileTemplateUuid: SERVER_PIN_TEMPLATE,
    target: ALICE,
  })
  return { client, rid }
}

function bindEntry(journal: { get(id: string): unknown }, id: string): BindJournalEntry {
  return journal.get(id) as BindJournalEntry
}

describe('bind through the journal (E11, real simulator)', () => {
  it('binds once; the entry is done with the smart-card Uuid; E07 shows the card', async () => {
    const { client, rid } = await enrollRequest()
    const { writes, journal } = makeWrites(client, t.file)
    const r = await writes.bind({ requestId: rid, cardId: NEW_CARD, atr: ATR })
    expect(bindEntry(journal, r.writeId)).toMatchObject({
      state: 'done',
      progress: { sent: true, smartcardUuid: r.smartcardUuid, adopted: false },
    })
    expect((await client.getRequest(rid))?.newSmartcardUuid).toBe(r.smartcardUuid)
    expect(hits(t.sim, 'E11')).toBe(1)
    expect(writes.list()).toEqual([])
  })

  it('an answer lost after the server bound the card is adopted through E07 — one E11 only', async () => {
    const { client, rid } = await enrollRequest()
    const { writes, journal, timers } = makeWrites(client, t.file)
    t.sim.control.addFault({
      match: { route: 'E11', times: 1 },
      action: { type: 'drop', when: 'before-headers', afterHandler: true },
    })
    const e = await caught(writes.bind({ requestId: rid, cardId: NEW_CARD, atr: ATR }))
    expect(e.code).toBe('network')
    const [view] = writes.list()
    expect(view).toMatchObject({ kind: 'bind', state: 'pending', requestId: rid, cardId: NEW_CARD })
    expect(timers.delays()).toEqual([1000])
    // The journal's automatic retry: E07 first, the card found, adopted.
    const settled = new Promise((resolve) => writes.onSettled(resolve))
    timers.fireAll()
    await settled
    const entry = bindEntry(journal, view!.id)
    expect(entry).toMatchObject({ state: 'done', progress: { sent: true, adopted: true } })
    expect(entry.progress.smartcardUuid).toBe((await client.getRequest(rid))?.newSmartcardUuid)
    expect(hits(t.sim, 'E11')).toBe(1)
    const cards = t.sim.control.state().Smartcards.filter((c) => c.SerialNumber === `{${NEW_CARD}}`)
    expect(cards).toHaveLength(1)
  })

  it('a request already bound to ANOTHER card is refused (not retried, nothing posted)', async () => {
    const { client, rid } = await enrollRequest()
    await client.assignSmartcard({ requestId: rid, cardId: 'c0ffee00-0000-4000-8000-0000000000b2' })
    t.sim.control.clearLog()
    const { writes } = makeWrites(client, t.file)
    const e = await caught(writes.bind({ requestId: rid, cardId: NEW_CARD, atr: ATR }))
    expect(e.code).toBe('request-not-executable')
    expect(hits(t.sim, 'E11')).toBe(0)
    expect(writes.list()).toEqual([])
  })

  it('a second bind of another card for the same request while one is unfinished is refused', async () => {
    const { client, rid } = await enrollRequest()
    const { writes } = makeWrites(client, t.file)
    t.sim.control.addFault({ match: { route: 'E11', times: 1 }, action: { type: 'status', code: 500 } })
    expect((await caught(writes.bind({ requestId: rid, cardId: NEW_CARD, atr: ATR }))).code).toBe(
      'server-error',
    )
    const other = 'c0ffee00-0000-4000-8000-0000000000b3' as CardId
    expect((await caught(writes.bind({ requestId: rid, cardId: other, atr: ATR }))).code).toBe('wrong-card')
  })
})

describe('complete and cancel through the journal (E08, real simulator)', () => {
  async function boundAndIssued() {
    const { client, rid } = await enrollRequest()
    await client.assignSmartcard({ requestId: rid, cardId: NEW_CARD, atr: ATR })
    // SIM-B2: completing needs an issued certificate (any valid PKCS#10 does for the simulator).
    await client.submitCertificateRequests(rid, { certificateRequests: [docCsr()] })
    t.sim.control.clearLog()
    return { client, rid }
  }

  it('a 500 with a correlation id is kept with the entry; the retry completes exactly once', async () => {
    const { client, rid } = await boundAndIssued()
    const { writes, journal, timers } = makeWrites(client, t.file)
    t.sim.control.addFault({ match: { route: 'E08', times: 3 }, action: { type: 'status', code: 500 } })
    const e = await caught(writes.complete(rid))
    expect(e.code).toBe('server-error')
    expect(e.info.correlationId).toMatch(/^[0-9a-f-]{36}$/)
    const [view] = writes.list()
    expect(view).toMatchObject({ kind: 'complete', requestId: rid, lastError: { code: 'server-error' } })
    expect(view?.lastError?.correlationId).toBe(e.info.correlationId)
    const settled = new Promise((resolve) => writes.onSettled(resolve))
    timers.fireAll()
    await settled
    expect(journal.get(view!.id)).toMatchObject({ state: 'done', progress: { resultStatus: 8 } })
    expect((await client.getRequest(rid))?.status.raw).toBe(8)
    const completes = t.sim.control.requestLog().filter((l) => l.route === 'E08' && l.status === 200)
    expect(completes).toHaveLength(1)
  })

  it('a lost answer after the server completed is adopted through E07 (no second PUT)', async () => {
    const { client, rid } = await boundAndIssued()
    const { writes, journal } = makeWrites(client, t.file)
    // Every PUT answer is lost after the handler ran (the client retries PUTs itself; all of them are lost).
    t.sim.control.addFault({
      match: { route: 'E08' },
      action: { type: 'drop', when: 'before-headers', afterHandler: true },
    })
    expect((await caught(writes.complete(rid))).code).toBe('network')
    t.sim.control.clearFaults()
    t.sim.control.clearLog()
    const [view] = writes.list()
    await writes.retry(view!.id)
    const entry = journal.get(view!.id) as RequestStatusJournalEntry
    expect(entry).toMatchObject({ state: 'done', progress: { adopted: true, resultStatus: 8 } })
    expect(hits(t.sim, 'E08')).toBe(0)
    expect(hits(t.sim, 'E07')).toBe(1)
  })

  it('cancel before a card is bound → Canceled (17); a second cancel adopts', async () => {
    const { client, rid } = await enrollRequest()
    const { writes } = makeWrites(client, t.file)
    const r = await writes.cancel(rid as RequestId, 'Canceled')
    expect(r.status.raw).toBe(17)
    const again = await writes.cancel(rid as RequestId, 'Canceled')
    expect(again.status.raw).toBe(17)
    expect(t.sim.control.requestLog().filter((l) => l.route === 'E08')).toHaveLength(1)
  })

  it('abandon after a card is bound; completing a canceled request is refused without a PUT', async () => {
    const { client, rid } = await boundAndIssued()
    const { writes } = makeWrites(client, t.file)
    await writes.cancel(rid, 'Abandoned')
    t.sim.control.clearLog()
    expect((await caught(writes.complete(rid))).code).toBe('request-not-executable')
    expect(hits(t.sim, 'E08')).toBe(0)
  })
})
