import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session } from 'electron'
import { refuseClientCertificates } from './glue/client-certificates'
import { installCrashRecovery } from './glue/crash-recovery'
import {
  createDirectorySecret,
  SET_DIRECTORY_PASSWORD_SWITCH,
  setDirectoryPasswordFromStdin,
} from './glue/directory-secret'
import { createSaveDialogChooser } from './glue/diagnostics-dialog'
import { installIpc } from './glue/ipc'
import { installKioskGuards, lockKioskWindow } from './glue/kiosk'
import { createNetFetch } from './glue/net-fetch'
import { APP_ORIGIN, APP_SCHEME, installAppProtocol } from './glue/protocol'
import { createMainWindow, denyAllPermissions } from './glue/window'
import { allowWindowsSignIn } from './glue/windows-sign-in'
import { ConfigError } from './services/config'
import { describeConfigOrigins, loadConfigWithOrigins } from './services/config-load'
import { CrashRecoveryPolicy } from './services/kiosk/crash-recovery'
import { SHELL_RESTARTS_SWITCH, STATION_EXIT_CODES } from './services/kiosk/exit-codes'
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
    const loaded = await loadConfigWithOrigins()
    config = loaded.config
    log.info('config: loaded', describeConfigOrigins(loaded))
  } catch (error) {
    const text =
      error instanceof ConfigError
        ? `The station cannot start: its configuration is invalid.\n\n${error.source}:\n${error.issues.join('\n')}`
        : String(error)
    dialog.showErrorBox('CM Enrollment Station — configuration error', text)
    app.exit(STATION_EXIT_CODES.badConfiguration)
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
  // Before the station's first CM request (its connection check): Windows sign-in only to the allowed hosts.
  allowWindowsSignIn(session.defaultSession, config, log)
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
  if (config.kiosk) {
    installKioskGuards(window.webContents)
    lockKioskWindow({ window, app, menu: Menu })
    installCrashRecovery({
      app,
      window,
      url,
      policy: new CrashRecoveryPolicy(),
      relaunch: !process.argv.includes(SHELL_RESTARTS_SWITCH),
      log,
    })
  }
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
// A normal quit ends with STATION_EXIT_CODES.quit (0). In kiosk mode the window cannot be closed (lockKioskWindow).
app.on('window-all-closed', () => app.quit())
app.on('before-quit', () => {
  void station?.close()
})
