// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { ReaderSnapshot } from '../../../shared/domain/reader'
import type { CardIdentityView } from '../../../shared/ipc/card'
import type { Result } from '../../../shared/result'
import { startCardSync } from '../../../renderer/store/card-sync'
import { createStationStore, type StationStore } from '../../../renderer/store/store'
import { startStationSync } from '../../../renderer/store/sync'
import { createFakeStation, pcscReader, virtualReader } from './fake-station'

const ATR_A = '3b8d0180fba000000397425446590301c8'
const ATR_B = '3b7f96000080318065b0855956fb120ffe829000'

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const snap = (...readers: ReaderSnapshot['readers']): ReaderSnapshot => ({ service: 'available', readers })
const setSnapshot = (store: StationStore, snapshot: ReaderSnapshot) =>
  store.setState((s) => ({ readers: { ...s.readers, snapshot } }))
/** The fake's card:identify answers from this store's snapshot (these tests drive the store directly). */
function notGidsFromStore(fake: ReturnType<typeof createFakeStation>, store: StationStore): void {
  fake.card.identify.mockImplementation(async ({ reader }) => {
    const found = store.getState().readers.snapshot?.readers.find((r) => r.name === reader && r.present)
    if (!found) return { ok: false, error: { code: 'no-card' } }
    return { ok: true, value: { atr: found.atr ?? '', cardId: null, isGids: false } }
  })
}
const phases = (store: StationStore) =>
  Object.fromEntries(Object.entries(store.getState().cards.byReader).map(([r, v]) => [r, v.phase]))

describe('card sync', () => {
  it('identifies a card already present in the first reader:list answer', async () => {
    const fake = createFakeStation({ snapshot: snap(pcscReader('ACME 0', ATR_A), pcscReader('ACME 1')) })
    const store = createStationStore()
    const stopCards = startCardSync(fake.station, store)
    const stopSync = startStationSync(fake.station, store, null)
    await expect.poll(() => phases(store)).toEqual({ 'ACME 0': 'not-gids' })
    expect(fake.card.identify).toHaveBeenCalledExactlyOnceWith({ reader: 'ACME 0' })
    stopSync()
    stopCards()
  })

  it('identifies once per insertion: other readers changing do not re-identify (no polling)', async () => {
    const fake = createFakeStation()
    const store = createStationStore()
    notGidsFromStore(fake, store)
    const stop = startCardSync(fake.station, store)
    setSnapshot(store, snap(virtualReader('V0', ATR_A), virtualReader('V1')))
    await expect.poll(() => phases(store)).toEqual({ V0: 'not-gids' })
    setSnapshot(store, snap(virtualReader('V0', ATR_A), virtualReader('V1', ATR_B)))
    setSnapshot(store, snap(virtualReader('V0', ATR_A), virtualReader('V1')))
    setSnapshot(store, { service: 'available', readers: [virtualReader('V0', ATR_A)] })
    await expect.poll(() => phases(store)).toEqual({ V0: 'not-gids' })
    expect(fake.card.identify.mock.calls.filter(([r]) => r.reader === 'V0')).toHaveLength(1)
    stop()
  })

  it('re-identifies when the ATR changes while present (a swap faster than the events)', async () => {
    const fake = createFakeStation()
    const store = createStationStore()
    notGidsFromStore(fake, store)
    const stop = startCardSync(fake.station, store)
    setSnapshot(store, snap(virtualReader('V0', ATR_A)))
    setSnapshot(store, snap(virtualReader('V0', ATR_B)))
    await expect
      .poll(() => store.getState().cards.byReader['V0'])
      .toMatchObject({
        phase: 'not-gids',
        identity: { atr: ATR_B },
      })
    expect(fake.card.identify).toHaveBeenCalledTimes(2)
    stop()
  })

  it('drops every card when the service goes away (readers vanish)', async () => {
    const fake = createFakeStation()
    const store = createStationStore()
    notGidsFromStore(fake, store)
    const stop = startCardSync(fake.station, store)
    setSnapshot(store, snap(pcscReader('ACME 0', ATR_A)))
    await expect.poll(() => phases(store)).toEqual({ 'ACME 0': 'not-gids' })
    setSnapshot(store, { service: 'unavailable', readers: [] })
    expect(store.getState().cards.byReader).toEqual({})
    stop()
  })

  it('identifies every present card again after the bridge link was lost', async () => {
    const fake = createFakeStation()
    const store = createStationStore('open')
    notGidsFromStore(fake, store)
    const stop = startCardSync(fake.station, store)
    setSnapshot(store, snap(virtualReader('V0', ATR_A)))
    await expect.poll(() => phases(store)).toEqual({ V0: 'not-gids' })
    store.setState({ connection: { status: 'closed', wasOpen: true } })
    store.setState({ connection: { status: 'open', wasOpen: true } })
    // The re-fetched snapshot looks the same, but the card may have been swapped while the link was down.
    setSnapshot(store, snap(virtualReader('V0', ATR_A)))
    await expect.poll(() => fake.card.identify.mock.calls.length).toBe(2)
    stop()
  })

  it('writes nothing after stop', async () => {
    const fake = createFakeStation()
    const identify = deferred<Result<CardIdentityView>>()
    fake.card.identify.mockReturnValue(identify.promise)
    const store = createStationStore()
    const stop = startCardSync(fake.station, store)
    setSnapshot(store, snap(virtualReader('V0', ATR_A)))
    expect(phases(store)).toEqual({ V0: 'identifying' })
    stop()
    identify.resolve({ ok: true, value: { atr: ATR_A, cardId: null, isGids: true } })
    await identify.promise
    await Promise.resolve()
    expect(phases(store)).toEqual({ V0: 'identifying' })
    setSnapshot(store, snap(virtualReader('V0')))
    expect(phases(store)).toEqual({ V0: 'identifying' })
  })

  it('turns a rejected host call into the catch-all code', async () => {
    const fake = createFakeStation()
    fake.card.identify.mockRejectedValue(new Error("Error invoking remote method 'card:identify'"))
    const store = createStationStore()
    const stop = startCardSync(fake.station, store)
    setSnapshot(store, snap(virtualReader('V0', ATR_A)))
    await expect
      .poll(() => store.getState().cards.byReader['V0'])
      .toEqual({
        phase: 'identify-failed',
        error: { code: 'internal' },
      })
    stop()
  })
})
