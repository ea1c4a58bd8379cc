import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEnrollmentHandlers } from '../../../electron/services/enrollment/ipc-handlers'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import type { ProfileTemplateId, RequestId, UserUuid } from '../../../shared/domain/cm'
import { ALICE, journeyStation, READER_NEW, SERVER_PIN_TEMPLATE } from './journey-harness'

// Kiosk idle reset, main side (`enrollment:release-pins`): every PIN held for the certificate step is zeroed; the
// enrollment stays resumable and its certificate step asks the holder for the card's PIN again.

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

describe('enrollment:release-pins', () => {
  it('zeroes the held PIN; the resumed enrollment asks the holder for it and completes', async () => {
    station = journeyStation(sim)
    const s = station
    const handlers = createEnrollmentHandlers(s.service)
    const { requestId } = await s.service.begin({
      kind: 'holder',
      holderUuid: ALICE as UserUuid,
      templateId: SERVER_PIN_TEMPLATE as ProfileTemplateId,
      dataCollection: [],
      comment: '',
    })
    const rid = requestId as RequestId
    await s.service.intent(rid, { type: 'use-card', reader: READER_NEW })
    const pin = await s.service.intent(rid, { type: 'set-pin', withPin: false })
    expect(pin.view).toMatchObject({ step: 'pin', prompt: 'note-pin' })
    expect(s.vault.size).toBe(1)
    const held = s.vault.get(rid)!
    expect(held.toString('utf8')).toBe(pin.serverPin)
    held.fill(0)

    expect(await handlers['enrollment:release-pins']({})).toBeNull()
    expect(s.vault.size).toBe(0)
    expect(s.vault.get(rid)).toBeNull()
    // The enrollment itself is untouched: still at the PIN step, resumable from Home.
    expect(s.service.get(rid)).toMatchObject({ step: 'pin', prompt: 'note-pin' })
    expect(s.service.list().map((v) => v.requestId)).toContain(rid)

    let view = (await s.service.intent(rid, { type: 'acknowledge-pin' })).view
    expect(view).toMatchObject({ step: 'certificates', prompt: 'holder-enters-pin' })
    view = await s.service.providePin(rid, pin.serverPin!)
    expect(view).toMatchObject({ step: 'retire', prompt: 'confirm-retire' })
    expect(s.log.lines.join('\n')).not.toContain(pin.serverPin!)
  })

  it('nothing held, or no CM at all: nothing to do', async () => {
    station = journeyStation(sim)
    expect(await createEnrollmentHandlers(station.service)['enrollment:release-pins']({})).toBeNull()
    expect(await createEnrollmentHandlers(null)['enrollment:release-pins']({})).toBeNull()
  })
})
