import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron'
import { refuseClientCertificates } from './glue/client-certificates'
import { installIpc } from './glue/ipc'
import { installKioskGuards } from './glue/kiosk'
import { createNetFetch } from './glue/net-fetch'
import { APP_ORIGIN, APP_SCHEME, installAppProtocol } from './glue/protocol'
import { createMainWindow, denyAllPermissions } from './glue/window'
import { ConfigError, loadConfig } from './services/config'
import { createLogger } from './services/log'
import { createStation, type Station } from './station/station'

// Composition root: build services, create the window, install IPC. Nothing else.

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

const log = createLogger()
let station: Station | null = null
let window: BrowserWindow | null = null

async function boot(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    const text = error instanceof ConfigError ? error.issues.join('\n') : String(error)
    dialog.showErrorBox('CM Enrollment Station — configuration error', text)
    app.exit(2)
    return
  }
  station = await createStation({
    config,
    log,
    host: 'electron',
    version: app.getVersion(),
    fetch: createNetFetch(net),
    dataDir: app.getPath('userData'),
  })
  denyAllPermissions(session.defaultSession)

  // Dev server (electron-vite dev, Windows/macOS with the binary) or the built renderer on app://.
  const devUrl = process.env.ELECTRON_RENDERER_URL
  const url = devUrl ?? `${APP_ORIGIN}/index.html`
  if (!devUrl) installAppProtocol(protocol, join(__dirname, '../renderer'))

  window = createMainWindow({
    BrowserWindow,
    preload: join(__dirname, '../preload/index.js'),
    url,
    kiosk: config.kiosk,
  })
  if (config.kiosk) installKioskGuards(window.webContents)
  installIpc({
    ipcMain,
    router: station.router,
    bus: station.bus,
    trusted: {
      webContentsId: () => (window && !window.isDestroyed() ? window.webContents.id : null),
      origin: new URL(url).origin === 'null' ? APP_ORIGIN : new URL(url).origin,
    },
    target: () => (window && !window.isDestroyed() ? window.webContents : null),
    log,
  })
  window.on('closed', () => {
    window = null
  })
}

app.enableSandbox()
refuseClientCertificates(app)
// One station per user session: two processes would fight over the readers and the write journal.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  app.whenReady().then(boot, (error: unknown) => log.error('main: boot failed', { error }))
}
app.on('window-all-closed', () => app.quit())
app.on('before-quit', () => {
  void station?.close()
})
