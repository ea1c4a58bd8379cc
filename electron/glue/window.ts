import type { BrowserWindow as BrowserWindowType, Session } from 'electron'

/** Inputs of the main window. */
export interface WindowOptions {
  BrowserWindow: typeof BrowserWindowType
  preload: string
  url: string
  kiosk: boolean
}

/** The hardened webPreferences of every station window (Electron security checklist). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const

/** Deny every permission request (camera, notifications, …): the station needs none. */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Create the main window: navigation and new windows denied; it only ever shows `url`. */
export function createMainWindow(opts: WindowOptions): BrowserWindowType {
  const win = new opts.BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 800,
    minHeight: 600,
    show: false,
    kiosk: opts.kiosk,
    autoHideMenuBar: true,
    title: 'CM Enrollment Station',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preload },
  })
  const allowed = new URL(opts.url)
  // Also refuses a dropped file: Chromium opens it by navigating to its file:// URL.
  win.webContents.on('will-navigate', (event, target) => {
    if (new URL(target).href !== allowed.href) event.preventDefault()
  })
  win.webContents.on('will-redirect', (event) => event.preventDefault())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.once('ready-to-show', () => win.show())
  void win.loadURL(opts.url)
  return win
}
