import { afterEach, describe, expect, it, vi } from 'vitest'

// Only glue imports 'electron'; these glue modules receive every Electron object as an argument.
vi.mock('electron', () => ({}))

import { installCrashRecovery } from '../../../electron/glue/crash-recovery'
import { installKioskGuards, isBlockedKioskInput, lockKioskWindow } from '../../../electron/glue/kiosk'
import { createMainWindow } from '../../../electron/glue/window'
import { CrashRecoveryPolicy } from '../../../electron/services/kiosk/crash-recovery'
import { STATION_EXIT_CODES } from '../../../electron/services/kiosk/exit-codes'
import { createMemoryLogger } from '../../../electron/services/log'

type Listener = (...args: unknown[]) => void

/** An Electron event emitter stand-in: records listeners by event name and fires them. */
class Emitter {
  readonly listeners = new Map<string, Listener[]>()
  on(name: string, fn: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn])
    return this
  }
  once(name: string, fn: Listener) {
    return this.on(name, fn)
  }
  /** Fire `name` with a preventable event; returns whether a listener prevented it. */
  emit(name: string, ...args: unknown[]): boolean {
    let prevented = false
    const event = { preventDefault: () => (prevented = true) }
    for (const fn of this.listeners.get(name) ?? []) fn(event, ...args)
    return prevented
  }
}

class FakeWebContents extends Emitter {
  zoomLimits: [number, number] | null = null
  setWindowOpenHandler() {}
  setVisualZoomLevelLimits(min: number, max: number) {
    this.zoomLimits = [min, max]
    return Promise.resolve()
  }
}

class FakeWindow extends Emitter {
  static last: FakeWindow | null = null
  webContents = new FakeWebContents()
  kiosk: boolean
  destroyed = false
  loads: string[] = []
  constructor(options: { kiosk?: boolean } = {}) {
    super()
    this.kiosk = options.kiosk ?? true
    FakeWindow.last = this
  }
  isKiosk() {
    return this.kiosk
  }
  setKiosk(on: boolean) {
    this.kiosk = on
  }
  isDestroyed() {
    return this.destroyed
  }
  loadURL(url: string) {
    this.loads.push(url)
    return Promise.resolve()
  }
}

class FakeApp extends Emitter {
  relaunches = 0
  exits: number[] = []
  relaunch() {
    this.relaunches += 1
  }
  exit(code: number) {
    this.exits.push(code)
  }
}

const key = (k: string, mods: Partial<Record<'control' | 'meta' | 'alt' | 'shift', boolean>> = {}) => ({
  type: 'keyDown' as const,
  key: k,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
})

afterEach(() => {
  vi.useRealTimers()
})

describe('kiosk: blocked inputs', () => {
  it.each([
    ['F5 (reload)', key('F5')],
    ['Ctrl+R (reload)', key('r', { control: true })],
    ['Ctrl+Shift+R (hard reload)', key('R', { control: true, shift: true })],
    ['Ctrl+F5', key('F5', { control: true })],
    ['F12 (devtools)', key('F12')],
    ['Ctrl+Shift+I (devtools)', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+J (console)', key('J', { control: true, shift: true })],
    ['Ctrl+Shift+C (inspect)', key('C', { control: true, shift: true })],
    ['Ctrl+= (zoom in)', key('=', { control: true })],
    ['Ctrl++ (zoom in)', key('+', { control: true, shift: true })],
    ['Ctrl+- (zoom out)', key('-', { control: true })],
    ['Ctrl+0 (zoom reset)', key('0', { control: true })],
    ['Ctrl+P (print)', key('p', { control: true })],
    ['Ctrl+N (new window)', key('n', { control: true })],
    ['Ctrl+T (new tab)', key('t', { control: true })],
    ['Ctrl+W (close)', key('w', { control: true })],
    ['Ctrl+F4 (close)', key('F4', { control: true })],
    ['Alt+F4 (close)', key('F4', { alt: true })],
    ['F11 (leave full screen)', key('F11')],
    ['Alt+← (history)', key('ArrowLeft', { alt: true })],
    ['Browser Back key', key('BrowserBack')],
    ['Browser Refresh key', key('BrowserRefresh')],
    ['⌘R on a Mac keyboard', key('r', { meta: true })],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedKioskInput(input)).toBe(true)
  })

  it.each([
    ['digits', key('7')],
    ['letters', key('a')],
    ['Shift+letter', key('A', { shift: true })],
    ['Enter', key('Enter')],
    ['Escape (the dialogs need it)', key('Escape')],
    ['Tab', key('Tab')],
    ['Backspace', key('Backspace')],
    ['arrows', key('ArrowLeft')],
    ['Ctrl+C (copy a request id)', key('c', { control: true })],
    ['Ctrl+V (paste a request id)', key('v', { control: true })],
    ['Ctrl+A', key('a', { control: true })],
    ['Ctrl+Z', key('z', { control: true })],
    ['a blocked key going up', { ...key('r', { control: true }), type: 'keyUp' as const }],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedKioskInput(input)).toBe(false)
  })

  it('prevents blocked keys and the context menu in the window; pinch zoom is off', () => {
    const wc = new FakeWebContents()
    installKioskGuards(wc as never)
    expect(wc.emit('before-input-event', key('F5'))).toBe(true)
    expect(wc.emit('before-input-event', key('I', { control: true, shift: true }))).toBe(true)
    expect(wc.emit('before-input-event', key('a'))).toBe(false)
    expect(wc.emit('context-menu', { x: 10, y: 10 })).toBe(true)
    expect(wc.zoomLimits).toEqual([1, 1])
  })
})

describe('kiosk: file drops', () => {
  it('a file dropped on the window (Chromium navigates to it) is refused by will-navigate', () => {
    createMainWindow({
      BrowserWindow: FakeWindow as never,
      preload: 'p',
      url: 'app://station/index.html',
      kiosk: true,
    })
    const wc = FakeWindow.last!.webContents
    expect(wc.emit('will-navigate', 'file:///C:/Users/operator/Desktop/holders.csv')).toBe(true)
    expect(wc.emit('will-navigate', 'file:///home/operator/badge.pdf')).toBe(true)
    expect(wc.emit('will-navigate', 'app://station/index.html')).toBe(false)
  })
})

describe('kiosk: the locked window', () => {
  function locked() {
    const window = new FakeWindow()
    const app = new FakeApp()
    const menu = { setApplicationMenu: vi.fn() }
    lockKioskWindow({ window: window as never, app: app as never, menu })
    return { window, app, menu }
  }

  it('has no application menu (no menu accelerators)', () => {
    const { menu } = locked()
    expect(menu.setApplicationMenu).toHaveBeenCalledWith(null)
  })

  it('cannot be closed while the station runs; closes when the app quits or the session ends', () => {
    const { window, app } = locked()
    expect(window.emit('close')).toBe(true)
    app.emit('before-quit')
    expect(window.emit('close')).toBe(false)

    const other = locked()
    other.window.emit('session-end')
    expect(other.window.emit('close')).toBe(false)
  })

  it('goes back to kiosk full screen when something takes it out', () => {
    const { window } = locked()
    window.kiosk = false
    window.emit('leave-full-screen')
    expect(window.kiosk).toBe(true)
  })
})

describe('kiosk: crash recovery (fake timers)', () => {
  function recovering(relaunch = true) {
    vi.useFakeTimers()
    const window = new FakeWindow()
    const app = new FakeApp()
    const log = createMemoryLogger()
    const dispose = installCrashRecovery({
      app: app as never,
      window: window as never,
      url: 'app://station/index.html',
      policy: new CrashRecoveryPolicy({ maxReloads: 3, windowMs: 10 * 60_000, baseDelayMs: 1_000 }),
      relaunch,
      log,
    })
    const rendererGone = (reason = 'crashed') =>
      window.webContents.emit('render-process-gone', { reason, exitCode: 1 })
    return { window, app, log, dispose, rendererGone }
  }

  it('reloads Home after 1 s, 2 s, 4 s; the fourth crash in the window relaunches the station with exit code 3', () => {
    const { window, app, rendererGone } = recovering()
    rendererGone()
    vi.advanceTimersByTime(999)
    expect(window.loads).toEqual([])
    vi.advanceTimersByTime(1)
    expect(window.loads).toEqual(['app://station/index.html'])

    rendererGone('oom')
    vi.advanceTimersByTime(1_999)
    expect(window.loads).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(window.loads).toHaveLength(2)

    rendererGone('killed')
    vi.advanceTimersByTime(3_999)
    expect(window.loads).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(window.loads).toHaveLength(3)
    expect(app.exits).toEqual([])

    rendererGone()
    expect(app.relaunches).toBe(1)
    expect(app.exits).toEqual([STATION_EXIT_CODES.crashLoop])
    expect(STATION_EXIT_CODES.crashLoop).toBe(3)
    vi.advanceTimersByTime(60_000)
    expect(window.loads).toHaveLength(3)
    // Exiting: later crash reports change nothing.
    rendererGone()
    expect(app.exits).toHaveLength(1)
  })

  it('crashes far apart only ever reload', () => {
    const { window, app, rendererGone } = recovering()
    for (let i = 0; i < 6; i++) {
      rendererGone()
      vi.advanceTimersByTime(4 * 60_000)
    }
    expect(window.loads).toHaveLength(6)
    expect(app.exits).toEqual([])
  })

  it('with --shell-restarts it only exits (Shell Launcher starts it again)', () => {
    const { app, rendererGone } = recovering(false)
    for (let i = 0; i < 4; i++) rendererGone()
    expect(app.relaunches).toBe(0)
    expect(app.exits).toEqual([STATION_EXIT_CODES.crashLoop])
  })

  it('a GPU or utility process crash reloads too; clean exits, killed utilities and quitting do not count', () => {
    const { window, app, rendererGone } = recovering()
    app.emit('child-process-gone', { type: 'GPU', reason: 'crashed', exitCode: -1 })
    vi.advanceTimersByTime(1_000)
    expect(window.loads).toHaveLength(1)
    app.emit('child-process-gone', {
      type: 'Utility',
      reason: 'abnormal-exit',
      exitCode: 5,
      name: 'Network Service',
    })
    vi.advanceTimersByTime(2_000)
    expect(window.loads).toHaveLength(2)

    app.emit('child-process-gone', { type: 'Utility', reason: 'killed', exitCode: 0, name: 'Audio Service' })
    app.emit('child-process-gone', { type: 'Utility', reason: 'clean-exit', exitCode: 0 })
    app.emit('child-process-gone', { type: 'Zygote', reason: 'crashed', exitCode: 1 })
    rendererGone('clean-exit')
    vi.advanceTimersByTime(60_000)
    expect(window.loads).toHaveLength(2)

    app.emit('before-quit')
    rendererGone()
    rendererGone()
    vi.advanceTimersByTime(60_000)
    expect(window.loads).toHaveLength(2)
    expect(app.exits).toEqual([])
  })

  it('a second crash while a reload waits moves it to the longer delay; a destroyed window is not loaded', () => {
    const { window, rendererGone, dispose } = recovering()
    rendererGone()
    vi.advanceTimersByTime(500)
    rendererGone()
    vi.advanceTimersByTime(1_999)
    expect(window.loads).toEqual([])
    vi.advanceTimersByTime(1)
    expect(window.loads).toHaveLength(1)

    rendererGone()
    window.destroyed = true
    vi.advanceTimersByTime(60_000)
    expect(window.loads).toHaveLength(1)

    window.destroyed = false
    rendererGone()
    dispose()
    vi.advanceTimersByTime(60_000)
    expect(window.loads).toHaveLength(1)
  })

  it('logs what crashed and why, never more', () => {
    const { log, rendererGone } = recovering()
    rendererGone('oom')
    expect(log.lines.join('\n')).toMatch(/kiosk: a process crashed, the window reloads/)
    expect(log.lines.join('\n')).toMatch(/oom/)
  })
})
