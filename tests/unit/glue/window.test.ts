import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import { createMainWindow, denyAllPermissions, SECURE_WEB_PREFERENCES } from '../../../electron/glue/window'
import { isBlockedKioskInput, installKioskGuards } from '../../../electron/glue/kiosk'
import { createNetFetch } from '../../../electron/glue/net-fetch'
import { refuseClientCertificates } from '../../../electron/glue/client-certificates'

class FakeWebContents {
  handlers = new Map<string, (...a: unknown[]) => void>()
  openHandler: (() => unknown) | null = null
  on(name: string, fn: (...a: unknown[]) => void) {
    this.handlers.set(name, fn)
    return this
  }
  setWindowOpenHandler(fn: () => unknown) {
    this.openHandler = fn
  }
}

class FakeWindow {
  static last: FakeWindow | null = null
  webContents = new FakeWebContents()
  loaded: string | null = null
  constructor(readonly options: { webPreferences: Record<string, unknown>; kiosk: boolean }) {
    FakeWindow.last = this
  }
  once() {}
  loadURL(url: string) {
    this.loaded = url
    return Promise.resolve()
  }
}

describe('main window (mocked electron)', () => {
  it('uses contextIsolation + sandbox, no nodeIntegration, and our preload', () => {
    createMainWindow({
      BrowserWindow: FakeWindow as never,
      preload: '/p/index.js',
      url: 'app://station/index.html',
      kiosk: false,
    })
    const prefs = FakeWindow.last!.options.webPreferences
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    })
    expect(prefs.preload).toBe('/p/index.js')
    expect(SECURE_WEB_PREFERENCES.webviewTag).toBe(false)
    expect(FakeWindow.last!.loaded).toBe('app://station/index.html')
  })

  it('denies navigation away, redirects, webviews and new windows', () => {
    createMainWindow({
      BrowserWindow: FakeWindow as never,
      preload: 'p',
      url: 'app://station/index.html',
      kiosk: true,
    })
    const wc = FakeWindow.last!.webContents
    const prevented = vi.fn()
    wc.handlers.get('will-navigate')!({ preventDefault: prevented }, 'https://evil.example/')
    expect(prevented).toHaveBeenCalledTimes(1)
    const same = vi.fn()
    wc.handlers.get('will-navigate')!({ preventDefault: same }, 'app://station/index.html')
    expect(same).not.toHaveBeenCalled()
    const redirect = vi.fn()
    wc.handlers.get('will-redirect')!({ preventDefault: redirect })
    expect(redirect).toHaveBeenCalled()
    expect(wc.openHandler!()).toEqual({ action: 'deny' })
    expect(FakeWindow.last!.options.kiosk).toBe(true)
  })

  it('denies every permission request and check', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null
    let checkFn: (() => boolean) | null = null
    denyAllPermissions({
      setPermissionRequestHandler: (fn: never) => (request = fn),
      setPermissionCheckHandler: (fn: never) => (checkFn = fn),
    } as never)
    const cb = vi.fn()
    request!(null, 'media', cb)
    expect(cb).toHaveBeenCalledWith(false)
    expect(checkFn!()).toBe(false)
  })
})

describe('kiosk guards', () => {
  const key = (k: string, mods: Partial<Record<'control' | 'meta' | 'alt' | 'shift', boolean>> = {}) => ({
    type: 'keyDown',
    key: k,
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  })

  it('blocks reload, devtools, zoom and close shortcuts, and lets typing through', () => {
    for (const input of [
      key('F5'),
      key('r', { control: true }),
      key('I', { control: true, shift: true }),
      key('F12'),
      key('F4', { alt: true }),
    ]) {
      expect(isBlockedKioskInput(input)).toBe(true)
    }
    for (const input of [
      key('1'),
      key('a'),
      key('Enter'),
      key('Backspace'),
      { ...key('r', { control: true }), type: 'keyUp' },
    ]) {
      expect(isBlockedKioskInput(input)).toBe(false)
    }
  })

  it('installs a before-input-event handler that prevents blocked keys', () => {
    const wc = new FakeWebContents()
    installKioskGuards(wc as never)
    const prevent = vi.fn()
    wc.handlers.get('before-input-event')!({ preventDefault: prevent }, key('F5'))
    expect(prevent).toHaveBeenCalled()
  })
})

describe('net.fetch transport', () => {
  it('passes the CM client calls (with their credentials mode) to net.fetch unchanged', async () => {
    const fetchFn = vi.fn(async () => new Response('"x"'))
    const f = createNetFetch({ fetch: fetchFn } as never)
    const signal = new AbortController().signal
    const init = {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal,
      credentials: 'include' as const,
    }
    const res = await f('https://cm.contoso.com/CertificateManagement/api/v1.0/requests', init)
    expect(fetchFn).toHaveBeenCalledWith(
      'https://cm.contoso.com/CertificateManagement/api/v1.0/requests',
      init,
    )
    expect(await res.text()).toBe('"x"')
  })
})

describe('client certificates', () => {
  it('never picks a certificate from the store for the station (e.g. the holder card in the reader)', () => {
    let handler: ((...a: unknown[]) => void) | null = null
    refuseClientCertificates({
      on: (_name: string, fn: (...a: unknown[]) => void) => (handler = fn),
    } as never)
    const prevent = vi.fn()
    const callback = vi.fn()
    handler!({ preventDefault: prevent }, {}, 'https://cm.contoso.com', [{ subjectName: 'holder' }], callback)
    expect(prevent).toHaveBeenCalled()
    expect(callback).toHaveBeenCalledWith()
  })
})
