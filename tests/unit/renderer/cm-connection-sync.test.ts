// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { CmConnectionStatus } from '../../../shared/domain/cm-connection'
import type { Result } from '../../../shared/result'
import type { BridgeLink, LinkStatus } from '../../../renderer/bridge/ws-transport'
import { checkCmConnection, startCmConnectionSync } from '../../../renderer/store/cm-connection-sync'
import { createStationStore } from '../../../renderer/store/store'
import { createFakeStation } from './fake-station'
import { deferred } from './harness'

const status = (state: CmConnectionStatus['state']): CmConnectionStatus => ({
  state,
  host: 'cm.contoso.test',
  training: false,
  checkedAt: state === 'checking' ? null : '2026-03-02T09:00:00.000Z',
  ...(state === 'sign-in-failed' ? { code: 'windows-sign-in-failed' as const } : {}),
})

function fakeLink(initial: LinkStatus) {
  let current = initial
  const listeners = new Set<(s: LinkStatus) => void>()
  const link: BridgeLink = {
    status: () => current,
    onStatus: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
  }
  return {
    link,
    set(next: LinkStatus) {
      current = next
      for (const l of [...listeners]) l(next)
    },
  }
}

describe('CM connection sync', () => {
  it('an event that arrives before the older cm:connection-status answer wins', async () => {
    const fake = createFakeStation()
    const answer = deferred<Result<CmConnectionStatus>>()
    fake.cm.connectionStatus.mockReturnValue(answer.promise)
    const store = createStationStore()
    const stop = startCmConnectionSync(fake.station, store, null)
    fake.emitConnectionChanged(status('sign-in-failed'))
    answer.resolve({ ok: true, value: status('connected') })
    await answer.promise
    await Promise.resolve()
    expect(store.getState().cmConnection.result?.state).toBe('sign-in-failed')
    stop()
    expect(fake.subscriberCount()).toBe(0)
  })

  it('asks cm:connection-status again after every bridge reconnect (events were missed meanwhile)', async () => {
    const fake = createFakeStation()
    const { link, set } = fakeLink('connecting')
    const store = createStationStore('connecting')
    const stop = startCmConnectionSync(fake.station, store, link)
    expect(fake.cm.connectionStatus).not.toHaveBeenCalled()
    set('open')
    await expect.poll(() => store.getState().cmConnection.result?.state).toBe('connected')
    fake.cm.connectionStatus.mockResolvedValue({ ok: true, value: status('sign-in-failed') })
    set('closed')
    set('open')
    await expect.poll(() => store.getState().cmConnection.result?.state).toBe('sign-in-failed')
    expect(fake.cm.connectionStatus).toHaveBeenCalledTimes(2)
    stop()
  })

  it('Check again that cannot reach main (bridge down) puts the last result back', async () => {
    const fake = createFakeStation({ connection: status('sign-in-failed') })
    const store = createStationStore()
    const stop = startCmConnectionSync(fake.station, store, null)
    await expect.poll(() => store.getState().cmConnection.status?.state).toBe('sign-in-failed')
    fake.cm.checkConnection.mockResolvedValue({ ok: false, error: { code: 'disconnected' } })
    const run = checkCmConnection(fake.station, store)
    expect(store.getState().cmConnection.status?.state).toBe('checking')
    expect(store.getState().cmConnection.result?.state).toBe('sign-in-failed')
    await run
    expect(store.getState().cmConnection.status?.state).toBe('sign-in-failed')
    stop()
  })
})
