// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { ReaderSnapshot } from '../../../shared/domain/reader'
import type { Result } from '../../../shared/result'
import { runCardAction } from '../../../renderer/store/reader-actions'
import { createStationStore } from '../../../renderer/store/store'
import { startStationSync } from '../../../renderer/store/sync'
import { createFakeStation, virtualReader } from './fake-station'

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('store sync', () => {
  it('keeps a reader:changed event that arrives before the older reader:list answer', async () => {
    const fake = createFakeStation()
    const list = deferred<Result<ReaderSnapshot>>()
    fake.reader.list.mockReturnValue(list.promise)
    const store = createStationStore()
    const stop = startStationSync(fake.station, store, null)

    const fresh: ReaderSnapshot = { service: 'available', readers: [virtualReader('V0', '3b00')] }
    fake.emitReaderChanged(fresh)
    list.resolve({ ok: true, value: { service: 'starting', readers: [] } })
    await list.promise
    await Promise.resolve()
    expect(store.getState().readers.snapshot).toEqual(fresh)
    stop()
    expect(fake.subscriberCount()).toBe(0)
  })

  it('turns a rejected host call into the catch-all code', async () => {
    const fake = createFakeStation()
    fake.app.info.mockRejectedValue(new Error("Error invoking remote method 'app:info': no handler"))
    const store = createStationStore()
    const stop = startStationSync(fake.station, store, null)
    await expect.poll(() => store.getState().app.error).toEqual({ code: 'internal' })
    stop()
  })

  it('marks a card action in flight and ignores a second click meanwhile', async () => {
    const fake = createFakeStation({ training: true })
    const answer = deferred<Result<unknown>>()
    fake.training.insertCard.mockReturnValue(answer.promise)
    const store = createStationStore()

    const first = runCardAction(fake.station, store, 'V0', 'insert')
    expect(store.getState().readers.pending).toEqual({ V0: 'insert' })
    await runCardAction(fake.station, store, 'V0', 'insert')
    expect(fake.training.insertCard).toHaveBeenCalledTimes(1)

    answer.resolve({ ok: false, error: { code: 'reader-not-found' } })
    await first
    expect(store.getState().readers.pending).toEqual({})
    expect(store.getState().readers.actionError).toEqual({
      reader: 'V0',
      error: { code: 'reader-not-found' },
    })
  })
})
