// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStationApi } from '../../../shared/ipc/api'
import { bridgeUrl } from '../../../renderer/bridge/bridge-url'
import { resolveStation } from '../../../renderer/bridge/resolve-station'
import { createWsTransport, defaultBackoff, type WsTransport } from '../../../renderer/bridge/ws-transport'
import { createStationStore } from '../../../renderer/store/store'
import { startStationSync } from '../../../renderer/store/sync'
import { FakeSocket, socketHarness } from './fake-socket'

const URL_ = 'ws://127.0.0.1:4000/s/tok/bridge'
const SNAPSHOT = {
  service: 'available',
  readers: [{ name: 'V0', kind: 'virtual', present: false, atr: null, reconnecting: false }],
}

let transport: WsTransport | null = null
afterEach(() => {
  transport?.close()
  transport = null
})

function connected() {
  const h = socketHarness()
  transport = createWsTransport({ url: URL_, ...h.options })
  h.last().open()
  return { h, t: transport }
}

describe('ws transport framing', () => {
  it('sends { id, channel, payload } and resolves with the matching { id, result }', async () => {
    const { h, t } = connected()
    expect(h.last().url).toBe(URL_)
    const first = t.invoke('reader:list', {})
    const second = t.invoke('app:info', {})
    expect(h.last().sent).toEqual([
      { id: 1, channel: 'reader:list', payload: {} },
      { id: 2, channel: 'app:info', payload: {} },
    ])
    // Answered out of order: matched by id.
    h.last().receive({ id: 2, result: { ok: true, value: { version: '1' } } })
    h.last().receive({ id: 1, result: { ok: false, error: { code: 'pcsc-unavailable' } } })
    await expect(second).resolves.toEqual({ ok: true, value: { version: '1' } })
    await expect(first).resolves.toEqual({ ok: false, error: { code: 'pcsc-unavailable' } })
  })

  it('delivers { event, payload } frames to that event’s subscribers only, until unsubscribed', () => {
    const { h, t } = connected()
    const listener = vi.fn()
    const off = t.subscribe('reader:changed', listener)
    h.last().receive({ event: 'reader:changed', payload: SNAPSHOT })
    h.last().receive({ event: 'reader:unknown', payload: 1 })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener).toHaveBeenCalledWith(SNAPSHOT)
    off()
    h.last().receive({ event: 'reader:changed', payload: SNAPSHOT })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('keeps only closed error codes and known fields from the wire', async () => {
    const { h, t } = connected()
    const call = t.invoke('reader:list', {})
    h.last().receive({
      id: 1,
      result: {
        ok: false,
        error: { code: 'ECONNRESET socket hang up', message: 'raw', correlationId: 'c-1' },
      },
    })
    await expect(call).resolves.toEqual({ ok: false, error: { code: 'internal', correlationId: 'c-1' } })
  })

  it('ignores malformed frames and answers to unknown ids', async () => {
    const { h, t } = connected()
    const call = t.invoke('reader:list', {})
    h.last().receive('not json{')
    h.last().receive('[1,2]')
    h.last().receive({ id: 99, result: { ok: true, value: 1 } })
    h.last().receive({ id: 1, result: { ok: true, value: 'mine' } })
    await expect(call).resolves.toEqual({ ok: true, value: 'mine' })
  })

  it("resolves pending calls with 'disconnected' when the socket closes", async () => {
    const { h, t } = connected()
    const call = t.invoke('reader:list', {})
    h.last().drop()
    await expect(call).resolves.toEqual({ ok: false, error: { code: 'disconnected' } })
    expect(t.status()).toBe('closed')
  })

  it("answers 'disconnected' at once while not connected, sending nothing", async () => {
    const h = socketHarness()
    transport = createWsTransport({ url: URL_, ...h.options })
    expect(transport.status()).toBe('connecting')
    await expect(transport.invoke('app:info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'disconnected' },
    })
    expect(h.last().sent).toEqual([])
  })
})

describe('ws transport reconnect', () => {
  it('reconnects with growing backoff, reset after a successful open', () => {
    const { h, t } = connected()
    const statuses: string[] = []
    t.onStatus((s) => statuses.push(s))

    h.last().drop()
    expect(h.runNextTimer()).toBe(defaultBackoff(0))
    expect(h.sockets).toHaveLength(2)
    h.last().drop() // refused again
    expect(h.runNextTimer()).toBe(defaultBackoff(1))
    h.last().open()
    expect(statuses).toEqual(['closed', 'connecting', 'closed', 'connecting', 'open'])

    h.last().drop()
    expect(h.runNextTimer()).toBe(defaultBackoff(0))
    expect(defaultBackoff(1)).toBeGreaterThan(defaultBackoff(0))
    expect(defaultBackoff(30)).toBe(5000)
  })

  it('keeps event subscriptions across reconnects', () => {
    const { h, t } = connected()
    const listener = vi.fn()
    t.subscribe('reader:changed', listener)
    h.last().drop()
    h.runNextTimer()
    h.last().open()
    h.last().receive({ event: 'reader:changed', payload: SNAPSHOT })
    expect(listener).toHaveBeenCalledWith(SNAPSHOT)
  })

  it('stops for good on close()', async () => {
    const { h, t } = connected()
    const call = t.invoke('app:info', {})
    t.close()
    await expect(call).resolves.toEqual({ ok: false, error: { code: 'disconnected' } })
    expect(h.last().closedByClient).toBe(true)
    h.last().drop()
    expect(h.timers).toEqual([])
  })

  it('re-fetches app info and readers on reconnect (events were missed meanwhile)', async () => {
    const { h, t } = connected()
    const store = createStationStore(t.status())
    const stop = startStationSync(createStationApi(t), store, t)

    const answer = (socket: FakeSocket, snapshot: unknown) => {
      for (const frame of socket.sent as { id: number; channel: string }[]) {
        const value =
          frame.channel === 'app:info' ? { version: '1', trainingMode: true, cmServer: null } : snapshot
        socket.receive({ id: frame.id, result: { ok: true, value } })
      }
    }
    answer(h.last(), SNAPSHOT)
    await vi.waitFor(() => expect(store.getState().readers.snapshot).toEqual(SNAPSHOT))

    h.last().drop()
    expect(store.getState().connection).toEqual({ status: 'closed', wasOpen: true })
    h.runNextTimer()
    h.last().open()
    const after = { service: 'available', readers: [] }
    expect(
      h
        .last()
        .sent.map((f) => (f as { channel: string }).channel)
        .sort(),
    ).toEqual(['app:info', 'reader:list'])
    answer(h.last(), after)
    await vi.waitFor(() => expect(store.getState().readers.snapshot).toEqual(after))
    expect(store.getState().connection.status).toBe('open')
    stop()
  })
})

describe('bridge bootstrap', () => {
  it('derives the socket URL from the page path (token included)', () => {
    expect(bridgeUrl('http://127.0.0.1:4000/s/abc/')).toBe('ws://127.0.0.1:4000/s/abc/bridge')
    expect(bridgeUrl('http://127.0.0.1:4000/s/abc/index.html?x=1#top')).toBe(
      'ws://127.0.0.1:4000/s/abc/bridge',
    )
    expect(bridgeUrl('https://station.test/s/abc/')).toBe('wss://station.test/s/abc/bridge')
    expect(bridgeUrl('file:///opt/app/index.html')).toBeNull()
  })

  it('uses the preload’s window.station when present and opens no socket', () => {
    const station = createStationApi({ invoke: vi.fn(), subscribe: vi.fn() })
    const WebSocket = vi.fn()
    const resolved = resolveStation({ station, location: window.location, WebSocket })
    expect(resolved.station).toBe(station)
    expect(resolved.link).toBeNull()
    expect(WebSocket).not.toHaveBeenCalled()
  })

  it('builds window.station over the bridge socket in the browser preview, exposing nothing on window', () => {
    const urls: string[] = []
    const WebSocket = class extends FakeSocket {
      constructor(url: string) {
        super(url)
        urls.push(url)
      }
    }
    const location = { href: 'http://127.0.0.1:4000/s/tok/' } as Location
    const before = Object.keys(window).sort()
    const resolved = resolveStation({ location, WebSocket })
    expect(urls).toEqual([URL_])
    expect(typeof resolved.station.reader.list).toBe('function')
    expect(resolved.link?.status()).toBe('connecting')
    expect(Object.keys(window).sort()).toEqual(before)
    expect('station' in window).toBe(false)
    resolved.dispose()
  })
})
