import { describe, expect, it, vi } from 'vitest'
import { createStationApi, methodPath, type StationTransport } from '../../../shared/ipc/api'

describe('createStationApi', () => {
  it('groups channels by area as camelCase methods and events as on* subscriptions', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: 'v' }))
    const unsubscribe = vi.fn()
    const subscribe = vi.fn(() => unsubscribe)
    const transport: StationTransport = { invoke, subscribe }
    const api = createStationApi(transport)

    expect(await api.reader.list()).toEqual({ ok: true, value: 'v' })
    expect(invoke).toHaveBeenCalledWith('reader:list', {})
    const listener = vi.fn()
    const off = api.reader.onChanged(listener)
    expect(subscribe).toHaveBeenCalledWith('reader:changed', listener)
    off()
    expect(unsubscribe).toHaveBeenCalled()
  })

  it('is frozen and exposes no generic invoke', () => {
    const api = createStationApi({ invoke: vi.fn(), subscribe: vi.fn() }) as unknown as Record<
      string,
      unknown
    >
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.isFrozen(api.reader)).toBe(true)
    expect(api.invoke).toBeUndefined()
    expect(JSON.stringify(Object.keys(api))).not.toContain('ipc')
  })

  it('maps kebab-case verbs to camelCase', () => {
    expect(methodPath('training:insert-card')).toEqual(['training', 'insertCard'])
  })
})
