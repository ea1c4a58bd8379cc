import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CHANNEL_NAMES } from '../../../shared/ipc/contract'
import { startCmSimulator } from '../../../electron/simulator/cm/index'

// The composition root (electron/main.ts) run against a mocked `electron` module: the real station
// services start (training mode: CM simulator on loopback, virtual readers), only Electron is fake.

type Handler = (event: unknown, payload: unknown) => Promise<unknown>

const fake = vi.hoisted(() => {
  const state = {
    handlers: new Map<string, Handler>(),
    windows: [] as Array<{
      options: Record<string, unknown>
      url: string | null
      loads: string[]
      webContents: Record<string, unknown>
      /** Listeners of the window and of its webContents, by event name. */
      listeners: Map<string, (...args: unknown[]) => void>
    }>,
    menus: [] as unknown[],
    relaunches: 0,
    appEvents: new Map<string, () => void>(),
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
    errorBoxes: [] as string[],
    exitCodes: [] as number[],
    ready: Promise.resolve(),
    dataDir: '',
    /** Windows sign-in allow-list calls and CM requests, in order. */
    network: [] as string[],
    documentsDir: '',
    /** What the next save dialog answers. */
    saveDialog: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
    saveDialogCalls: [] as Array<{ parent: unknown; options: { defaultPath?: string } }>,
  }
  class BrowserWindow {
    webContents: Record<string, unknown>
    private readonly record: (typeof state.windows)[number]
    constructor(readonly options: Record<string, unknown>) {
      const mainFrame = { url: 'app://station/index.html', parent: null }
      const listeners = new Map<string, (...args: unknown[]) => void>()
      this.webContents = {
        id: 11,
        mainFrame,
        on: (name: string, fn: (...args: unknown[]) => void) => listeners.set(`webContents:${name}`, fn),
        setWindowOpenHandler: () => undefined,
        setVisualZoomLevelLimits: () => Promise.resolve(),
        isDestroyed: () => false,
        send: () => undefined,
      }
      this.record = { options, url: null, loads: [], webContents: this.webContents, listeners }
      state.windows.push(this.record)
    }
    once() {}
    on(name: string, fn: (...args: unknown[]) => void) {
      this.record.listeners.set(name, fn)
    }
    isDestroyed() {
      return false
    }
    isKiosk() {
      return this.options.kiosk === true
    }
    setKiosk() {}
    loadURL(url: string) {
      this.record.url ??= url
      this.record.loads.push(url)
      return Promise.resolve()
    }
  }
  const electron = {
    app: {
      enableSandbox: () => undefined,
      whenReady: () => state.ready,
      on: (name: string, fn: () => void) => state.appEvents.set(name, fn),
      getVersion: () => '9.9.9',
      getPath: (name: string) => (name === 'documents' ? state.documentsDir : state.dataDir),
      isPackaged: true,
      requestSingleInstanceLock: () => true,
      exit: (code: number) => state.exitCodes.push(code),
      quit: () => undefined,
      relaunch: () => {
        state.relaunches += 1
      },
    },
    BrowserWindow,
    Menu: { setApplicationMenu: (menu: unknown) => state.menus.push(menu) },
    dialog: {
      showErrorBox: (_title: string, text: string) => state.errorBoxes.push(text),
      showSaveDialog: async (parent: unknown, options: { defaultPath?: string }) => {
        state.saveDialogCalls.push({ parent, options })
        return state.saveDialog
      },
    },
    ipcMain: {
      handle: (channel: string, fn: Handler) => state.handlers.set(channel, fn),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    net: {
      fetch: (url: string, init: RequestInit) => {
        state.network.push(`fetch ${new URL(url).pathname}`)
        return fetch(url, init)
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
      decryptString: (data: Buffer) => Buffer.from(data).reverse().toString('utf8'),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => state.schemes.push(s),
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) =>
        state.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        allowNTLMCredentialsForDomains: (domains: string) => state.network.push(`allow ${domains}`),
      },
    },
  }
  return { state, electron }
})

vi.mock('electron', () => fake.electron)

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout')
    await new Promise((r) => setTimeout(r, 10))
  }
}

beforeEach(() => {
  vi.resetModules()
  fake.state.handlers.clear()
  fake.state.windows.length = 0
  fake.state.appEvents.clear()
  fake.state.schemes.length = 0
  fake.state.errorBoxes.length = 0
  fake.state.exitCodes.length = 0
  fake.state.menus.length = 0
  fake.state.relaunches = 0
  fake.state.network.length = 0
  fake.state.dataDir = mkdtempSync(join(tmpdir(), 'station-userdata-'))
  fake.state.documentsDir = mkdtempSync(join(tmpdir(), 'station-documents-'))
  fake.state.saveDialog = { canceled: true, filePath: '' }
  fake.state.saveDialogCalls.length = 0
  vi.stubEnv('STATION_CM_URL', '')
  vi.stubEnv('STATION_CONFIG', '')
  vi.stubEnv('STATION_LOG_LEVEL', 'error')
})

afterEach(async () => {
  fake.state.appEvents.get('before-quit')?.()
  await new Promise((r) => setTimeout(r, 50))
  vi.unstubAllEnvs()
})

describe('electron/main.ts with a mocked electron', () => {
  it('registers app:// as privileged, opens one hardened window and serves IPC through the guard', async () => {
    await import('../../../electron/main')
    await until(() => fake.state.handlers.size === CHANNEL_NAMES.length)

    expect(fake.state.schemes).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ])
    expect(fake.state.windows).toHaveLength(1)
    const win = fake.state.windows[0]!
    expect(win.url).toBe('app://station/index.html')
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    })

    const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
    const info = await fake.state.handlers.get('app:info')!(trusted, {})
    expect(info).toEqual({
      ok: true,
      value: {
        version: '9.9.9',
        trainingMode: true,
        cmServer: null,
        host: 'electron',
        directory: true,
        pinDisplay: 'reveal',
        readerFilter: { allow: [], deny: ['Windows Hello', 'Microsoft Passport'] },
        kiosk: false,
        idleTimeoutSec: 300,
        language: null,
      },
    })

    const stranger = {
      sender: { id: 99, mainFrame: win.webContents.mainFrame },
      senderFrame: win.webContents.mainFrame,
    }
    expect(await fake.state.handlers.get('app:info')!(stranger, {})).toEqual({
      ok: false,
      error: { code: 'forbidden-sender' },
    })

    // Training mode: the virtual readers answer through the real services.
    expect(
      await fake.state.handlers.get('training:insert-card')!(trusted, { reader: 'Station Virtual Reader 0' }),
    ).toEqual({
      ok: true,
      value: null,
    })
    const identity = await fake.state.handlers.get('card:identify')!(trusted, {
      reader: 'Station Virtual Reader 0',
    })
    expect(identity).toMatchObject({ ok: true, value: { isGids: true } })

    // The renderer is served from app:// with the CSP.
    const page = await fake.state.protocolHandlers.get('app')!(new Request('app://station/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(
      (await fake.state.protocolHandlers.get('app')!(new Request('app://elsewhere/index.html'))).status,
    ).toBe(404)
  })

  it('with a CM server: Windows sign-in allowed for its host before the first CM request; client certificates refused', async () => {
    const sim = await startCmSimulator({ scenario: 'training', defaultUser: 'CORP\\operator1' })
    try {
      vi.stubEnv('STATION_CM_URL', sim.appRoot)
      await import('../../../electron/main')
      await until(() => fake.state.handlers.size === CHANNEL_NAMES.length)
      const win = fake.state.windows[0]!
      const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
      expect(await fake.state.handlers.get('cm:check-connection')!(trusted, {})).toMatchObject({
        ok: true,
        value: { state: 'connected', host: new URL(sim.appRoot).host, training: false },
      })
      expect(fake.state.network[0]).toBe('allow 127.0.0.1')
      expect(fake.state.network.filter((n) => n.startsWith('allow'))).toHaveLength(1)
      expect(fake.state.network[1]).toBe('fetch /CertificateManagement/api/v1.0/profiletemplates')
      expect(fake.state.appEvents.has('select-client-certificate')).toBe(true)
    } finally {
      await sim.close()
    }
  })

  it('training mode: no Windows sign-in allow-list is set', async () => {
    await import('../../../electron/main')
    await until(() => fake.state.handlers.size === CHANNEL_NAMES.length)
    expect(fake.state.network.filter((n) => n.startsWith('allow'))).toEqual([])
  })

  it('logs to <userData>/logs, audits to <userData>/audit, and exports diagnostics where the save dialog says', async () => {
    vi.stubEnv('STATION_LOG_LEVEL', 'info') // the environment sets config.logLevel (the suite runs at error)
    await import('../../../electron/main')
    await until(() => fake.state.handlers.size === CHANNEL_NAMES.length)
    const win = fake.state.windows[0]!
    const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
    const exportDiagnostics = fake.state.handlers.get('app:export-diagnostics')!

    // The operator closes the dialog: nothing written.
    expect(await exportDiagnostics(trusted, {})).toEqual({ ok: true, value: { status: 'canceled' } })
    const proposed = fake.state.saveDialogCalls[0]!.options.defaultPath!
    expect(proposed).toMatch(/station-diagnostics-\d{8}-\d{6}\.zip$/)
    expect(proposed.startsWith(fake.state.documentsDir)).toBe(true)
    expect(readdirSync(fake.state.documentsDir)).toEqual([])

    // A name without .zip gets it.
    const chosen = join(fake.state.documentsDir, 'for-the-help-desk')
    fake.state.saveDialog = { canceled: false, filePath: chosen }
    expect(await exportDiagnostics(trusted, {})).toEqual({
      ok: true,
      value: { status: 'saved', path: `${chosen}.zip`, fileName: 'for-the-help-desk.zip' },
    })
    const zip = unzipSync(readFileSync(`${chosen}.zip`))
    expect(Object.keys(zip)).toEqual(
      expect.arrayContaining(['about.json', 'logs/station.1.log', 'audit/audit.1.jsonl']),
    )
    expect(strFromU8(zip['logs/station.1.log']!)).toContain('station: started')
    expect(strFromU8(zip['audit/audit.1.jsonl']!)).toContain(
      '"action":"export-diagnostics","outcome":"canceled"',
    )
    expect(JSON.parse(strFromU8(zip['about.json']!))).toMatchObject({ host: 'electron', version: '9.9.9' })
  })

  it('stops with the offending fields named when the configuration is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    const file = join(dir, 'station.json')
    writeFileSync(file, JSON.stringify({ cm: { appRoot: 'not a url' } }))
    vi.stubEnv('STATION_CONFIG', file)
    await import('../../../electron/main')
    await until(() => fake.state.exitCodes.length > 0)
    expect(fake.state.exitCodes).toEqual([2])
    expect(fake.state.errorBoxes.join()).toContain('cm.appRoot')
    // The dialog names the source, so IT knows which file (or policy key) to correct.
    expect(fake.state.errorBoxes.join()).toContain(`${file} (STATION_CONFIG)`)
    expect(fake.state.windows).toHaveLength(0)
    expect(fake.state.handlers.size).toBe(0)
  })

  it('kiosk: a locked full-screen window whose renderer crashes are recovered (reload Home, then exit 3)', async () => {
    vi.stubEnv('STATION_KIOSK', '1')
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      await import('../../../electron/main')
      await until(() => fake.state.handlers.size === CHANNEL_NAMES.length)
      const win = fake.state.windows[0]!
      expect(win.options.kiosk).toBe(true)
      expect(fake.state.menus).toEqual([null])
      const prevented = (name: string, ...args: unknown[]) => {
        let yes = false
        win.listeners.get(name)!({ preventDefault: () => (yes = true) }, ...args)
        return yes
      }
      const key = { type: 'keyDown', key: 'F5', control: false, meta: false, alt: false, shift: false }
      expect(prevented('webContents:before-input-event', key)).toBe(true)
      expect(prevented('webContents:context-menu', {})).toBe(true)
      expect(prevented('webContents:will-navigate', 'file:///C:/Users/op/Desktop/list.csv')).toBe(true)
      expect(prevented('close')).toBe(true)

      const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
      expect(await fake.state.handlers.get('app:info')!(trusted, {})).toMatchObject({
        ok: true,
        value: { kiosk: true, idleTimeoutSec: 300 },
      })

      const gone = win.listeners.get('webContents:render-process-gone')!
      gone({}, { reason: 'crashed', exitCode: 1 })
      await vi.advanceTimersByTimeAsync(1_000)
      expect(win.loads).toEqual(['app://station/index.html', 'app://station/index.html'])
      gone({}, { reason: 'crashed', exitCode: 1 })
      gone({}, { reason: 'crashed', exitCode: 1 })
      gone({}, { reason: 'crashed', exitCode: 1 })
      expect(fake.state.relaunches).toBe(1)
      expect(fake.state.exitCodes).toEqual([3])
    } finally {
      vi.useRealTimers()
    }
  })
})
