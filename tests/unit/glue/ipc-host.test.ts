import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import { installIpc } from '../../../electron/glue/ipc'
import { CHANNEL_NAMES } from '../../../shared/ipc/contract'
import { EventBus } from '../../../electron/services/ipc/event-bus'
import { createMemoryLogger } from '../../../electron/services/log'
import type { Router } from '../../../electron/services/ipc/router'

type Handler = (event: unknown, payload: unknown) => Promise<unknown>

function setup() {
  const registered = new Map<string, Handler>()
  const ipcMain = {
    handle: vi.fn((channel: string, h: Handler) => registered.set(channel, h)),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
  }
  const router: Router = { dispatch: vi.fn(async () => ({ ok: true as const, value: 'routed' })) }
  const bus = new EventBus()
  const sent: unknown[][] = []
  const mainFrame = { url: 'app://station/index.html', parent: null }
  const wc = { id: 3, mainFrame, isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a) }
  const dispose = installIpc({
    ipcMain: ipcMain as never,
    router,
    bus,
    trusted: { webContentsId: () => 3, origin: 'app://station' },
    target: () => wc as never,
    log: createMemoryLogger(),
  })
  return { registered, ipcMain, router, bus, sent, wc, mainFrame, dispose }
}

describe('Electron IPC host (mocked electron)', () => {
  it('registers exactly the declared channels and removes them on dispose', () => {
    const s = setup()
    expect([...s.registered.keys()].sort()).toEqual([...CHANNEL_NAMES].sort())
    s.dispose()
    expect(s.registered.size).toBe(0)
  })

  it('routes a trusted call and denies an untrusted sender without reaching the router', async () => {
    const s = setup()
    const handler = s.registered.get('reader:list')!
    expect(await handler({ sender: s.wc, senderFrame: s.mainFrame }, {})).toEqual({
      ok: true,
      value: 'routed',
    })
    const other = { id: 99, mainFrame: s.mainFrame }
    expect(await handler({ sender: other, senderFrame: s.mainFrame }, {})).toEqual({
      ok: false,
      error: { code: 'forbidden-sender' },
    })
    expect(s.router.dispatch).toHaveBeenCalledTimes(1)
  })

  it('forwards bus events to our window only', () => {
    const s = setup()
    s.bus.emit('reader:changed', { service: 'available', readers: [] })
    expect(s.sent).toEqual([['reader:changed', { service: 'available', readers: [] }]])
    s.dispose()
    s.bus.emit('reader:changed', { service: 'unavailable', readers: [] })
    expect(s.sent).toHaveLength(1)
  })
})
