import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session } from 'electron'
import { refuseClientCertificates } from './glue/client-certificates'
import {
  createDirectorySecret,
  SET_DIRECTORY_PASSWORD_SWITCH,
  setDirectoryPasswordFromStdin,
} from './glue/directory-secret'
import { createSaveDialogChooser } from './glue/diagnostics-dialog'
import { installIpc } from './glue/ipc'
import { installKioskGuards } from './glue/kiosk'
import { createNetFetch } from './glue/net-fetch'
import { APP_ORIGIN, APP_SCHEME, installAppProtocol } from './glue/protocol'
import { createMainWindow, denyAllPermissions } from './glue/window'
import { ConfigError, loadConfig } from './services/config'
import { createLogger, type Logger } from './services/log'
import { createFileLogger } from './services/log-file'
import { createStation, type Station } from './station/station'

// Composition root: build services, create the window, install IPC. Nothing else.

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

// stderr until the configuration names the data directory; then the rolling file in <dataDir>/logs.
let log: Logger = createLogger()
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
  const dataDir = config.dataDir ?? app.getPath('userData')
  // An installed app writes the file only; `electron-vite dev` also shows the lines on stderr.
  log = await createFileLogger({ dataDir, level: config.logLevel, stderr: !app.isPackaged })
  const directorySecret = createDirectorySecret(safeStorage, dataDir)
  if (process.argv.includes(SET_DIRECTORY_PASSWORD_SWITCH)) {
    app.exit(await setDirectoryPasswordFromStdin(directorySecret, process.stdin, process.stderr))
    return
  }
  station = await createStation({
    config,
    log,
    host: 'electron',
    version: app.getVersion(),
    fetch: createNetFetch(net),
    dataDir,
    directoryPassword: () => directorySecret.read(),
    chooseExportPath: createSaveDialogChooser({
      dialog,
      window: () => (window && !window.isDestroyed() ? window : null),
      defaultDir: () => app.getPath('documents'),
    }),
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
// One station per user session: two processes would fight over the readers and the write journal. Storing the
// directory password (IT, at install time) is a one-shot command that may run beside a station.
if (process.argv.includes(SET_DIRECTORY_PASSWORD_SWITCH)) {
  app.whenReady().then(boot, (error: unknown) => log.error('main: boot failed', { error }))
} else if (!app.requestSingleInstanceLock()) {
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
