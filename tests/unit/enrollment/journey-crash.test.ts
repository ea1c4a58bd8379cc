import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import type { ProfileTemplateId, RequestId, UserUuid } from '../../../shared/domain/cm'
import { ALICE, journeyStation, READER_NEW, SERVER_PIN_TEMPLATE } from './journey-harness'

// The station killed at the worst moments (issue "Measured, not assumed" §4; found by tests/lab/crash-safety.ts):
// the data folder is put back exactly as it was on disk at that instant — the card and CM keep what they did —
// and the station restarts over it. Nothing may be lost, nothing done twice, and the enrollment must finish.

let sim: CmSimulator
beforeAll(async () => {
  sim = await startCmSimulator({ scenario: 'training' })
})
afterAll(() => sim.close())
beforeEach(() => sim.control.reset())

let station: ReturnType<typeof journeyStation> | null = null
afterEach(async () => {
  await station?.close()
  station = null
})

function startForAlice(s: ReturnType<typeof journeyStation>) {
  return s.service.begin({
    kind: 'holder',
    holderUuid: ALICE as UserUuid,
    templateId: SERVER_PIN_TEMPLATE as ProfileTemplateId,
    dataCollection: [],
    comment: '',
  })
}

/** Run the rest of the issue from a server-PIN prompt to the end (no old badge to retire). */
async function finish(s: ReturnType<typeof journeyStation>, rid: RequestId) {
  const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
  expect(pin.view).toMatchObject({ prompt: 'note-pin' })
  const view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
  expect(view).toMatchObject({ step: 'retire', prompt: 'confirm-retire' })
  return (await s.service.intent(rid, { type: 'confirm-retire', smartcardUuids: [], comment: '' })).view
}

// GIDS PUT DATA (gids-card-edge.md §5.5): in the admin-key step, only PUT KEY changes the card.
const PUT_DATA = 0xdb

describe('killed right after the card took the diversified admin key', () => {
  it('the resume tries Kd first (the checkpoint says unknown), no admin failure is counted, the badge completes', async () => {
    station = journeyStation(sim, { adminTryLimit: 5 })
    const s = station
    const { requestId: rid } = await startForAlice(s)
    // The disk at the instant PUT KEY reaches the card: what a station killed right after it would find.
    let atPutKey: Map<string, string> | null = null
    const original = s.newCard.process.bind(s.newCard)
    s.newCard.process = (apdu) => {
      if (apdu[1] === PUT_DATA && atPutKey === null && s.service.get(rid).step === 'admin-key')
        atPutKey = s.files()
      return original(apdu)
    }
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    expect(atPutKey).not.toBeNull()
    expect(await s.edge.listContainers(READER_NEW)).toHaveLength(0)

    s.crashBackTo(atPutKey!)
    await s.service.idle(rid)
    // The card is still in its reader: the admin step takes it by itself and finds Kd on the card.
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'start-pin', error: null })
    expect(s.newCard.snapshot().admin).toEqual({ limit: 5, triesLeft: 5 })
    const view = await finish(s, rid)
    expect(view).toMatchObject({ outcome: 'completed' })
    expect(sim.control.state().Requests.find((r) => r.Uuid === rid)?.Status).toBe(8)
  })
})

/** Enroll requests CM holds for Alice on the server-PIN template. */
function aliceRequests() {
  return sim.control
    .state()
    .Requests.filter(
      (r) =>
        r.RequestType === 1 && r.TargetUserUuid === ALICE && r.ProfileTemplateUuid === SERVER_PIN_TEMPLATE,
    )
}

describe('killed between E05 and the enrollment’s first checkpoint', () => {
  it.each([
    ['before the request id was saved (E05 just answered)', 'createRequest'],
    ['after the request id was saved, before the checkpoint (E07 of the new request)', 'getRequest'],
  ] as const)('%s: the restart takes the request over — one Enroll request', async (_, hook) => {
    station = journeyStation(sim)
    const s = station
    let crashAt: Map<string, string> | null = null
    s.hooks[hook] = { after: () => (crashAt ??= s.files()) }
    const { requestId: rid } = await startForAlice(s)
    delete s.hooks[hook]
    expect(crashAt).not.toBeNull()
    expect([...crashAt!.keys()].some((f) => f.startsWith('enrollments'))).toBe(false)

    s.crashBackTo(crashAt!)
    // The journal's start-up pass finds the request (by id, or E06 after the unanswered POST) and hands it over.
    s.timers.fireAll()
    await s.writes.idle()
    expect(s.service.list().map((v) => v.requestId)).toEqual([rid])
    // CM holds one Enroll request for Alice: E05 went out once.
    expect(aliceRequests()).toHaveLength(1)
    expect(sim.control.requestLog().filter((l) => l.route === 'E05')).toHaveLength(1)

    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    expect(await finish(s, rid)).toMatchObject({ outcome: 'completed' })
    expect(s.writes.list()).toEqual([])
  })

  it('not answered (the server created it, the answer was lost): Start again adopts it through E06', async () => {
    station = journeyStation(sim)
    const s = station
    sim.control.addFault({
      match: { route: 'E05', times: 1 },
      action: { type: 'drop', when: 'before-headers', afterHandler: true },
    })
    await expect(startForAlice(s)).rejects.toMatchObject({ code: 'network' })
    expect(s.service.list()).toEqual([])
    expect(aliceRequests()).toHaveLength(1)
    // The station is killed while the write waits for its retry; the operator starts again after the restart.
    s.crashBackTo(s.files())
    const view = await startForAlice(s)
    expect(view).toMatchObject({ step: 'card', prompt: 'insert-card' })
    expect(view.requestId).toBe(aliceRequests()[0]!.Uuid)
    expect(aliceRequests()).toHaveLength(1)
    expect(s.writes.list()).toEqual([])
  })
})
