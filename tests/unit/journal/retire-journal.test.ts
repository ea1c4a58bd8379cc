import type { RetireJournalEntry } from '../../../electron/services/journal/entry'
import type { CmRetireOutcome } from '../../../shared/domain/cm'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CmClientOptions } from '../../../electron/services/cm/client'
import { createCmHandlers } from '../../../electron/services/cm/ipc-handlers'
import { WriteJournal } from '../../../electron/services/journal/journal'
import { CmWriteService } from '../../../electron/services/journal/write-service'
import { createMemoryLogger } from '../../../electron/services/log'
import type { SmartcardUuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { hits, simClient } from '../cm-client/sim-client'
import { makeWrites, nextViews, useSimAndJournal } from './helpers'

// Retire through the write journal against the REAL CM simulator on loopback, with its fault injection.

const OPERATOR = 'CORP\\operator1'
const ALICE_CARD = '7a000000-0000-4000-8000-000000000001' as SmartcardUuid
const BOB_CARD = '7a000000-0000-4000-8000-000000000008' as SmartcardUuid
const ctx = { host: 'test' as const }

async function caught(p: Promise<unknown>): Promise<StationError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(StationError)
  return e as StationError
}

const t = useSimAndJournal()

/** The journal + service for `account`, over the real client (fast transport retries). */
function setup(account = OPERATOR, client: Partial<CmClientOptions> = {}) {
  const { client: cm } = simClient(t.sim, account, client)
  return { cm, ...makeWrites(cm, t.file) }
}

/** Retire requests the simulator holds for a card. */
function retireRequestsFor(card: string) {
  return t.sim.control
    .state()
    .Requests.filter((r) => r.RequestType === 108 && r.NewSmartcardUuid === card && r.Sim.Abandoned === false)
}

describe("retire with the policy's data items (real simulator)", () => {
  it('the items go to E05 and are kept in the journal entry for a re-created request', async () => {
    const { writes, journal } = setup()
    const r = await writes.retire({
      smartcardUuid: ALICE_CARD,
      comment: 'left',
      dataCollection: [{ name: 'Reason', value: 'left the company' }],
    })
    const e = journal.get(r.writeId) as RetireJournalEntry
    expect(e.input.dataCollection).toEqual([{ name: 'Reason', value: 'left the company' }])
    const created = t.sim.control.state().Requests.find((q) => q.Uuid === r.requestId)!
    expect(created.Comment).toBe('left')
  })
})

describe('retire through the journal (real simulator)', () => {
  it('(a) success: one Retire request, card retired, the entry done and out of the pending list', async () => {
    const { writes, journal } = setup()
    const changes: string[] = []
    writes.onChange((views) => changes.push(views.map((v) => v.state).join(',')))
    const r = await writes.retire({ smartcardUuid: ALICE_CARD, comment: 'lost badge' })
    expect(r).toMatchObject({ outcome: 'retired', card: { status: { raw: 6 } } })
    expect(journal.get(r.writeId)).toMatchObject({
      state: 'done',
      attempts: 1,
      lastError: null,
      progress: { requestId: r.requestId, createSent: true, adopted: false },
    })
    expect(writes.list()).toEqual([])
    // The pending list showed the write while it ran, then emptied.
    expect(changes[0]).toBe('pending')
    expect(changes.at(-1)).toBe('')
    expect(hits(t.sim, 'E05')).toBe(1)
    expect(retireRequestsFor(ALICE_CARD).map((x) => [x.Uuid, x.Status])).toEqual([[r.requestId, 8]])
  })

  it('(b) a 500 on the status PUT keeps the entry with the correlation id; a retry completes it, no 2nd POST', async () => {
    const { writes, timers } = setup()
    // The transport retries the idempotent PUT 3 times: fail all 3.
    t.sim.control.addFault({ match: { route: 'E17', times: 3 }, action: { type: 'status', code: 500 } })
    const e = await caught(writes.retire({ smartcardUuid: ALICE_CARD }))
    const correlationId = t.sim.control.lastErrors().at(-1)?.correlationId
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(e.toInfo()).toEqual({ code: 'server-error', correlationId })
    const [view] = writes.list()
    expect(view).toMatchObject({
      state: 'pending',
      smartcardUuid: ALICE_CARD,
      lastError: { code: 'server-error', correlationId },
    })
    expect(view?.requestId).toBe(retireRequestsFor(ALICE_CARD)[0]?.Uuid)
    expect(timers.delays()).toEqual([1000])

    const again = await writes.retry(view!.id)
    expect(again).toMatchObject({ kind: 'retire', writeId: view!.id, result: { outcome: 'retired' } })
    expect(timers.delays()).toEqual([]) // the operator's retry replaced the scheduled one
    expect(writes.list()).toEqual([])
    expect(t.sim.control.requestLog().filter((x) => x.method === 'POST' && x.route === 'E05')).toHaveLength(1)
    expect(retireRequestsFor(ALICE_CARD).map((x) => x.Status)).toEqual([8])
  })

  for (const profile of ['simulator', 'real'] as const) {
    it(`(c) a dropped POST the server executed: the retry adopts the request, no duplicate (${profile} profile)`, async () => {
      const { writes, journal } = setup(OPERATOR, { serverProfile: profile })
      t.sim.control.addFault({
        match: { route: 'E05', times: 1 },
        action: { type: 'drop', when: 'before-headers', afterHandler: true },
      })
      const e = await caught(writes.retire({ smartcardUuid: BOB_CARD, comment: 'left the company' }))
      expect(e.code).toBe('network')
      const created = retireRequestsFor(BOB_CARD)
      expect(created).toHaveLength(1) // the server did create it; the station never heard the id
      const [view] = writes.list()
      expect(view).toMatchObject({ state: 'pending', requestId: null, lastError: { code: 'network' } })
      expect((journal.get(view!.id) as RetireJournalEntry | undefined)?.progress.createSent).toBe(true)

      const again = await writes.retry(view!.id)
      expect(again.result as CmRetireOutcome).toMatchObject({
        outcome: 'retired',
        requestId: created[0]?.Uuid,
      })
      expect((journal.get(view!.id) as RetireJournalEntry | undefined)?.progress).toMatchObject({
        adopted: true,
        requestId: created[0]?.Uuid,
      })
      expect(hits(t.sim, 'E05')).toBe(1)
      expect(retireRequestsFor(BOB_CARD).map((x) => [x.Uuid, x.Status, x.Comment])).toEqual([
        [created[0]?.Uuid, 8, 'left the company'],
      ])
    })
  }

  it('(c″) real profile (Retire number unknown): a request already open before our POST is never adopted', async () => {
    const { cm, writes, journal } = setup(OPERATOR, { serverProfile: 'real' })
    const earlier = await cm.createRequest({ type: 'Retire', smartcardUuid: BOB_CARD })
    expect((await cm.getRequest(earlier))?.requestType.name).toBeUndefined()
    t.sim.control.addFault({
      match: { route: 'E05', times: 1 },
      action: { type: 'drop', when: 'before-headers' },
    })
    expect((await caught(writes.retire({ smartcardUuid: BOB_CARD }))).code).toBe('network')
    const [view] = writes.list()
    expect((journal.get(view!.id) as RetireJournalEntry | undefined)?.progress.priorOpenRequestIds).toEqual([
      earlier,
    ])
    const again = await writes.retry(view!.id)
    expect((again.result as CmRetireOutcome).outcome).toBe('retired')
    expect((again.result as CmRetireOutcome).requestId).not.toBe(earlier)
    expect((journal.get(view!.id) as RetireJournalEntry | undefined)?.progress.adopted).toBe(false)
  })

  it('(c′) a dropped POST the server never saw: the retry looks first, finds nothing, creates exactly one', async () => {
    const { writes } = setup()
    t.sim.control.addFault({
      match: { route: 'E05', times: 1 },
      action: { type: 'drop', when: 'before-headers' },
    })
    expect((await caught(writes.retire({ smartcardUuid: BOB_CARD }))).code).toBe('network')
    expect(retireRequestsFor(BOB_CARD)).toHaveLength(0)
    const [view] = writes.list()
    const again = await writes.retry(view!.id)
    expect((again.result as CmRetireOutcome).outcome).toBe('retired')
    expect(retireRequestsFor(BOB_CARD)).toHaveLength(1)
    expect(hits(t.sim, 'E05')).toBe(2)
  })

  it('(d) a transient failure is retried automatically with backoff and ends done', async () => {
    const { writes, timers } = setup()
    // E08 complete fails 6 times = two runs' worth of transport retries.
    t.sim.control.addFault({ match: { route: 'E08', times: 6 }, action: { type: 'status', code: 503 } })
    expect((await caught(writes.retire({ smartcardUuid: ALICE_CARD }))).code).toBe('server-error')
    expect(timers.delays()).toEqual([1000])
    timers.fireAll()
    await writes.idle()
    expect(writes.list()).toMatchObject([
      { state: 'pending', attempts: 2, lastError: { code: 'server-error' } },
    ])
    expect(timers.delays()).toEqual([2000])
    timers.fireAll()
    await writes.idle()
    expect(writes.list()).toEqual([])
    expect(timers.delays()).toEqual([])
    expect(hits(t.sim, 'E05')).toBe(1)
    expect(retireRequestsFor(ALICE_CARD).map((x) => x.Status)).toEqual([8])
  })

  it('(d′) with real timers and a short backoff, the retry runs by itself (awaiting the change event)', async () => {
    const { client: cm } = simClient(t.sim, OPERATOR)
    const log = createMemoryLogger()
    const writes = new CmWriteService({
      journal: WriteJournal.open({ file: t.file, log }),
      cm,
      log,
      retry: { baseDelayMs: 5, maxDelayMs: 20, maxAutoRetries: 3 },
    })
    t.sim.control.addFault({ match: { route: 'E17', times: 3 }, action: { type: 'status', code: 500 } })
    const done = nextViews(writes, (views) => views.length === 0)
    await caught(writes.retire({ smartcardUuid: ALICE_CARD }))
    await done
    await writes.idle()
    expect(retireRequestsFor(ALICE_CARD).map((x) => x.Status)).toEqual([8])
    writes.close()
  })

  it('(d″) retries are bounded: after the budget the entry is failed and waits for the operator', async () => {
    const { client: cm } = simClient(t.sim, OPERATOR, {
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    })
    const { writes, timers } = makeWrites(cm, t.file, {
      retry: { baseDelayMs: 1000, maxDelayMs: 4000, maxAutoRetries: 3 },
    })
    t.sim.control.addFault({ match: { route: 'E17' }, action: { type: 'status', code: 500 } })
    await caught(writes.retire({ smartcardUuid: ALICE_CARD }))
    const delays: number[] = []
    while (timers.pending.size > 0) {
      delays.push(...timers.delays())
      timers.fireAll()
      await writes.idle()
    }
    expect(delays).toEqual([1000, 2000, 4000])
    expect(writes.list()).toMatchObject([{ state: 'failed', attempts: 4, nextRetryAt: null }])
    t.sim.control.clearFaults()
    expect(((await writes.retry(writes.list()[0]!.id)).result as CmRetireOutcome).outcome).toBe('retired')
  })

  it('(e) forbidden (helpdesk has no Retire right): visible, nothing posted, nothing kept or scheduled', async () => {
    const { writes, timers, journal } = setup('CORP\\helpdesk1')
    const e = await caught(writes.retire({ smartcardUuid: ALICE_CARD }))
    expect(e.code).toBe('forbidden')
    expect(hits(t.sim, 'E05')).toBe(0)
    expect(journal.list()).toEqual([])
    expect(timers.delays()).toEqual([])
  })

  it('(e′) forbidden after the request exists: kept as failed, never auto-retried; the operator retries', async () => {
    const { writes, timers } = setup()
    t.sim.control.addFault({ match: { route: 'E17', times: 1 }, action: { type: 'status', code: 403 } })
    expect((await caught(writes.retire({ smartcardUuid: ALICE_CARD }))).code).toBe('forbidden')
    expect(writes.list()).toMatchObject([
      { state: 'failed', lastError: { code: 'forbidden' }, nextRetryAt: null },
    ])
    expect(writes.list()[0]?.requestId).not.toBeNull()
    expect(timers.delays()).toEqual([])
    expect(((await writes.retry(writes.list()[0]!.id)).result as CmRetireOutcome).outcome).toBe('retired')
    expect(hits(t.sim, 'E05')).toBe(1)
  })

  it('pending approval: awaiting-approval, not auto-retried; after approval a retry completes it', async () => {
    const { writes, timers } = setup()
    // Make the created request wait for an approver (as with a template that needs approvals).
    const created: string[] = []
    const stop = writes.onChange((views) => {
      const rid = views[0]?.requestId
      if (rid && !created.includes(rid)) {
        created.push(rid)
        t.sim.control.setRequestStatus(rid, 16)
      }
    })
    const r = await writes.retire({ smartcardUuid: ALICE_CARD })
    stop()
    expect(r.outcome).toBe('pending-approval')
    expect(writes.list()).toMatchObject([{ state: 'awaiting-approval', lastError: null }])
    expect(timers.delays()).toEqual([])
    t.sim.control.approve(r.requestId)
    expect(((await writes.retry(r.writeId)).result as CmRetireOutcome).outcome).toBe('retired')
    expect(writes.list()).toEqual([])
  })

  it('a denied Retire request is a dead end: the operator dismisses it, then a new retire starts afresh', async () => {
    const { writes, timers } = setup()
    // The created request is denied by an approver in CM.
    const stop = writes.onChange((views) => {
      const rid = views[0]?.requestId
      if (rid) t.sim.control.setRequestStatus(rid, 16)
    })
    const first = await writes.retire({ smartcardUuid: ALICE_CARD })
    stop()
    expect(first.outcome).toBe('pending-approval')
    t.sim.control.deny(first.requestId)
    expect((await caught(writes.retry(first.writeId))).code).toBe('forbidden')
    expect(writes.list()).toMatchObject([
      { id: first.writeId, state: 'failed', lastError: { code: 'forbidden' } },
    ])
    expect(timers.delays()).toEqual([])

    // Not while it is being worked on, and not twice.
    expect(writes.dismiss(first.writeId)).toEqual([])
    expect(
      (() => {
        try {
          writes.dismiss(first.writeId)
        } catch (e) {
          return (e as StationError).code
        }
        return 'no error'
      })(),
    ).toBe('invalid-request')
    // Kept in the t.file's history as dismissed (audit), out of the pending list.
    expect(JSON.parse(readFileSync(t.file, 'utf8')).entries).toMatchObject([
      { id: first.writeId, state: 'dismissed' },
    ])

    const second = await writes.retire({ smartcardUuid: ALICE_CARD })
    expect(second.writeId).not.toBe(first.writeId)
    expect(second.outcome).toBe('retired')
    expect(hits(t.sim, 'E05')).toBe(2)
  })

  it('only failed or awaiting-approval writes can be dismissed', async () => {
    const { writes } = setup()
    const done = await writes.retire({ smartcardUuid: ALICE_CARD })
    expect(done.outcome).toBe('retired')
    expect(() => writes.dismiss(done.writeId)).toThrow(StationError)
    expect(() => writes.dismiss('00000000-0000-4000-8000-000000000000')).toThrow(StationError)
  })

  it('a second retire of the same card reuses its unfinished entry (no second Retire request)', async () => {
    const { writes, journal } = setup()
    t.sim.control.addFault({ match: { route: 'E08', times: 3 }, action: { type: 'status', code: 500 } })
    const first = await caught(writes.retire({ smartcardUuid: ALICE_CARD }))
    expect(first.code).toBe('server-error')
    const again = await writes.retire({ smartcardUuid: ALICE_CARD })
    expect(again.outcome).toBe('retired')
    expect(journal.list()).toHaveLength(1)
    expect(journal.list()[0]).toMatchObject({ id: again.writeId, attempts: 2, state: 'done' })
    expect(hits(t.sim, 'E05')).toBe(1)
  })

  it('(f) entries survive a restart; the start-up pass resumes them once', async () => {
    const first = setup()
    t.sim.control.addFault({ match: { route: 'E17', times: 3 }, action: { type: 'status', code: 500 } })
    await caught(first.writes.retire({ smartcardUuid: ALICE_CARD }))
    const before = first.writes.list()
    first.writes.close()
    expect(first.timers.delays()).toEqual([]) // close() cancelled the scheduled retry

    const restarted = setup()
    expect(restarted.writes.list()).toEqual(before)
    restarted.writes.start()
    expect(restarted.timers.delays()).toEqual([0])
    restarted.timers.fireAll()
    await restarted.writes.idle()
    expect(restarted.writes.list()).toEqual([])
    expect(hits(t.sim, 'E05')).toBe(1)
    expect(retireRequestsFor(ALICE_CARD).map((x) => x.Status)).toEqual([8])
  })

  it('(f′) start-up leaves non-transient failures to the operator', async () => {
    const first = setup()
    t.sim.control.addFault({ match: { route: 'E17', times: 1 }, action: { type: 'status', code: 403 } })
    await caught(first.writes.retire({ smartcardUuid: ALICE_CARD }))
    const restarted = setup()
    restarted.writes.start()
    expect(restarted.timers.delays()).toEqual([])
    expect(restarted.writes.list()).toMatchObject([{ state: 'failed', lastError: { code: 'forbidden' } }])
  })

  it('(g) no secret ever reaches the journal file: only the schema’s fields, ids, codes, the comment', async () => {
    const { writes } = setup()
    t.sim.control.addFault({ match: { route: 'E17', times: 3 }, action: { type: 'status', code: 500 } })
    await caught(writes.retire({ smartcardUuid: ALICE_CARD, comment: 'lost' }))
    await writes.retire({ smartcardUuid: BOB_CARD })
    const text = readFileSync(t.file, 'utf8')
    const authorization = t.sim.control.authorizationFor(OPERATOR)
    for (const secret of [
      authorization,
      authorization.split(' ')[1]!,
      'Negotiate',
      'operator1',
      '12345678',
    ]) {
      expect(text).not.toContain(secret)
    }
    const parsed = JSON.parse(text) as { entries: Array<Record<string, Record<string, unknown>>> }
    for (const e of parsed.entries) {
      expect(Object.keys(e).sort()).toEqual(
        [
          'attempts',
          'autoRetries',
          'createdAt',
          'id',
          'input',
          'kind',
          'lastError',
          'nextRetryAt',
          'progress',
          'state',
          'updatedAt',
        ].sort(),
      )
      expect(Object.keys(e.input!).sort()).toEqual(['comment', 'dataCollection', 'smartcardUuid'])
    }
  })
})

describe('cm:* write channels through the handlers', () => {
  it('cm:retire-card returns the outcome and the entry id; list and retry; the failure keeps its correlation id', async () => {
    const { cm, writes } = setup()
    const h = createCmHandlers({ cm, writes })
    t.sim.control.addFault({ match: { route: 'E17', times: 3 }, action: { type: 'status', code: 500 } })
    const e = await caught(h['cm:retire-card']({ smartcardUuid: ALICE_CARD }, ctx))
    expect(e.toInfo().correlationId).toBe(t.sim.control.lastErrors().at(-1)?.correlationId)
    const list = await h['cm:list-pending-writes']({}, ctx)
    expect(list).toHaveLength(1)
    // JSON-plain: survives a JSON round trip unchanged (it crosses IPC and the preview bridge).
    expect(JSON.parse(JSON.stringify(list))).toEqual(list)
    const r = await h['cm:retry-write']({ id: list[0]!.id }, ctx)
    expect((r.result as CmRetireOutcome).outcome).toBe('retired')
    expect(await h['cm:list-pending-writes']({}, ctx)).toEqual([])
    const ok = await h['cm:retire-card']({ smartcardUuid: BOB_CARD }, ctx)
    expect(ok).toMatchObject({ outcome: 'retired', writeId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    await expect(
      h['cm:retry-write']({ id: '00000000-0000-4000-8000-000000000000' }, ctx),
    ).rejects.toMatchObject({ code: 'invalid-request' })
  })
})
