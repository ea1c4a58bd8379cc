// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { CmWriteView } from '../../../shared/domain/cm'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import type { Result } from '../../../shared/result'
import { setPin } from '../../../renderer/store/enrollment-actions'
import { mergeEnrollmentList, upsertEnrollment } from '../../../renderer/store/enrollment-list'
import { startCardSync } from '../../../renderer/store/card-sync'
import { startEnrollmentSync } from '../../../renderer/store/enrollment-sync'
import { createStationStore } from '../../../renderer/store/store'
import { IDS, enrollmentView, newCard, writeView } from './fixtures'
import { createFakeStation, virtualReader } from './fake-station'
import { deferred } from './harness'

const older = enrollmentView({ updatedAt: '2026-03-12T09:00:00.000Z' })
const newer = enrollmentView({ status: 'working', updatedAt: '2026-03-12T09:01:00.000Z' })

describe('enrollment list', () => {
  it('keeps the newer state whatever the order of answer and event', () => {
    expect(upsertEnrollment([newer], older)).toEqual([newer])
    expect(upsertEnrollment([older], newer)).toEqual([newer])
  })

  it('keeps entries events touched while enrollment:list was in flight', () => {
    const other = enrollmentView({ requestId: IDS.request2, createdAt: '2026-03-12T10:00:00.000Z' })
    expect(mergeEnrollmentList([newer], [older, other], new Set([IDS.request]))).toEqual([other, newer])
    expect(mergeEnrollmentList([newer], [other], new Set())).toEqual([other])
  })
})

describe('enrollment sync', () => {
  it("looks the reader's cards up again when a card is bound or the enrollment ends (its CM record changed)", async () => {
    const fake = createFakeStation()
    fake.card.identify.mockResolvedValue({
      ok: true,
      value: { atr: '3b8d01', cardId: IDS.newCard, isGids: true },
    })
    const store = createStationStore()
    store.setState((s) => ({
      readers: { ...s.readers, snapshot: { service: 'available', readers: [virtualReader('V1', '3b8d01')] } },
    }))
    const stopCards = startCardSync(fake.station, store)
    const stop = startEnrollmentSync(fake.station, store)
    await expect.poll(() => fake.card.identify.mock.calls.length).toBe(1)
    const unbound = enrollmentView({ step: 'bind', status: 'working', card: newCard('V1', null) })
    fake.emitEnrollmentChanged(unbound)
    const bound = enrollmentView({
      step: 'admin-key',
      status: 'working',
      card: newCard('V1'),
      updatedAt: '2026-03-12T09:02:00.000Z',
    })
    fake.emitEnrollmentChanged(bound)
    await expect.poll(() => fake.card.identify.mock.calls.length).toBe(2)
    // Other changes (the next step) change no card record: no lookup.
    fake.emitEnrollmentChanged({ ...bound, step: 'pin', updatedAt: '2026-03-12T09:03:00.000Z' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(fake.card.identify).toHaveBeenCalledTimes(2)
    fake.emitEnrollmentChanged({
      ...bound,
      status: 'done',
      outcome: 'abandoned',
      updatedAt: '2026-03-12T09:04:00.000Z',
    })
    await expect.poll(() => fake.card.identify.mock.calls.length).toBe(3)
    stop()
    stopCards()
  })

  it('an enrollment:changed event during enrollment:list is not overwritten by the older answer', async () => {
    const fake = createFakeStation()
    const list = deferred<Result<EnrollmentView[]>>()
    fake.enrollment.list.mockReturnValue(list.promise)
    const store = createStationStore()
    const stop = startEnrollmentSync(fake.station, store)
    fake.emitEnrollmentChanged(newer)
    list.resolve({ ok: true, value: [older] })
    await expect.poll(() => store.getState().enrollments.loaded).toBe(true)
    expect(store.getState().enrollments.list).toEqual([newer])
    stop()
    expect(fake.subscriberCount()).toBe(0)
  })

  it('a cm:writes-changed event beats an older cm:list-pending-writes answer', async () => {
    const fake = createFakeStation()
    const list = deferred<Result<CmWriteView[]>>()
    fake.cm.listPendingWrites.mockReturnValue(list.promise)
    const store = createStationStore()
    const stop = startEnrollmentSync(fake.station, store)
    fake.emitWritesChanged([])
    list.resolve({ ok: true, value: [writeView()] })
    await list.promise
    await Promise.resolve()
    expect(store.getState().writes.list).toEqual([])
    stop()
  })

  it('fetches again when the bridge link comes back (events were missed)', async () => {
    const fake = createFakeStation()
    const store = createStationStore('connecting')
    const stop = startEnrollmentSync(fake.station, store)
    expect(fake.enrollment.list).not.toHaveBeenCalled()
    store.setState({ connection: { status: 'open', wasOpen: true } })
    await expect.poll(() => fake.enrollment.list.mock.calls.length).toBe(1)
    store.setState({ connection: { status: 'closed', wasOpen: true } })
    store.setState({ connection: { status: 'open', wasOpen: true } })
    await expect.poll(() => fake.enrollment.list.mock.calls.length).toBe(2)
    expect(fake.cm.listPendingWrites).toHaveBeenCalledTimes(2)
    expect(fake.enrollment.listTemplates).toHaveBeenCalledTimes(2)
    stop()
  })

  it('set-pin: the view goes to the store, the server PIN only to the caller', async () => {
    const fake = createFakeStation()
    const store = createStationStore()
    const view = enrollmentView({ step: 'pin', prompt: 'note-pin' })
    fake.enrollment.setPin.mockResolvedValue({ ok: true, value: { kind: 'server', pin: '97531864', view } })
    const result = await setPin(fake.station, store, IDS.request)
    expect(result).toEqual({ ok: true, value: { kind: 'server', pin: '97531864', view } })
    expect(store.getState().enrollments.list).toEqual([view])
    expect(JSON.stringify(store.getState())).not.toContain('97531864')
  })
})
