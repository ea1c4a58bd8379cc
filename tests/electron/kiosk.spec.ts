import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
// Detect the binary WITHOUT require('electron'): that would try to download it (toolchain.md §5).
import { electronBinary } from '../../scripts/electron-binary.cjs'
import { SHELL_RESTARTS_SWITCH, STATION_EXIT_CODES } from '../../electron/services/kiosk/exit-codes'

// Kiosk mode in the real Electron app (issue "The station on a managed Windows desk", kiosk): the locked window,
// blocked shortcuts, refused navigation to a dropped file, the idle countdown, and crash recovery (reload, then exit
// with the crash-loop code). The same behaviours are unit-tested with a mocked electron (tests/unit/glue/kiosk.test.ts)
// and, for the renderer's part, in Chromium (tests/e2e/kiosk.spec.ts).

const exe: string | null = electronBinary()
const IDLE_TIMEOUT_SEC = 10

/** Launch the station in kiosk mode, training, with its own data folder and `args` after the app path. */
async function launchKiosk(args: string[] = []): Promise<ElectronApplication> {
  const dir = mkdtempSync(join(tmpdir(), 'station-kiosk-electron-'))
  const config = join(dir, 'station.json')
  writeFileSync(config, JSON.stringify({ kiosk: true, idleTimeoutSec: IDLE_TIMEOUT_SEC }))
  return electron.launch({
    executablePath: exe!,
    args: [join(__dirname, '..', '..'), ...args],
    env: { ...process.env, STATION_CM_URL: '', STATION_CONFIG: config, STATION_DATA_DIR: join(dir, 'data') },
  })
}

/** Quit a kiosk station (its window refuses to close while it runs; quitting is allowed). */
async function quit(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined)
  await app.close().catch(() => undefined)
}

test.describe('kiosk mode (real Electron binary)', () => {
  test.skip(
    !exe,
    'Electron binary not installed: it is downloaded from GitHub, which this machine cannot reach',
  )

  test('a locked full-screen window: no menu, blocked shortcuts and zoom, no file navigation, cannot be closed', async () => {
    const app = await launchKiosk()
    try {
      const page = await app.firstWindow()
      await expect(page.getByTestId('task-issue')).toBeVisible()
      const state = () =>
        app.evaluate(({ BrowserWindow, Menu }) => {
          const win = BrowserWindow.getAllWindows()[0]!
          return {
            windows: BrowserWindow.getAllWindows().length,
            kiosk: win.isKiosk(),
            menu: Menu.getApplicationMenu() === null,
            zoom: win.webContents.getZoomLevel(),
            url: win.webContents.getURL(),
            contextMenuGuards: win.webContents.listenerCount('context-menu'),
          }
        })
      const before = await state()
      expect(before).toMatchObject({ windows: 1, kiosk: true, menu: true, zoom: 0 })
      expect(before.contextMenuGuards).toBeGreaterThan(0)

      // Reload (F5, Ctrl+R), zoom, leaving full screen (F11, Escape), close: none of them happens; the page keeps its
      // marker.
      await page.evaluate(() => ((globalThis as { kioskMarker?: number }).kioskMarker = 42))
      for (const key of [
        'F5',
        'Control+r',
        'Control+Shift+R',
        'Control+=',
        'Control+-',
        'F11',
        'Escape',
        'Alt+F4',
        'Control+w',
      ]) {
        await page.keyboard.press(key)
      }
      expect(await page.evaluate(() => (globalThis as { kioskMarker?: number }).kioskMarker)).toBe(42)
      expect(await state()).toMatchObject({ windows: 1, kiosk: true, zoom: 0, url: before.url })

      // A dropped file makes Chromium navigate to it: refused.
      await page.evaluate(() => {
        ;(globalThis as unknown as { location: { href: string } }).location.href = 'file:///etc/hosts'
      })
      await expect(page.getByTestId('task-issue')).toBeVisible()
      expect((await state()).url).toBe(before.url)

      // A close request is refused while the station runs.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close())
      expect((await state()).windows).toBe(1)
    } finally {
      await quit(app)
    }
  })

  test('idle: the countdown on a page away from Home, Continue focused; then Home again', async () => {
    test.setTimeout(90_000)
    const app = await launchKiosk()
    try {
      const page = await app.firstWindow()
      await page.getByTestId('task-issue').click()
      await expect(page.getByTestId('enrollment')).toBeVisible()
      await expect(page.getByTestId('idle-countdown')).toBeVisible({ timeout: 30_000 })
      await expect(page.getByTestId('idle-continue')).toBeFocused()
      await page.keyboard.press('Enter')
      await expect(page.getByTestId('idle-countdown')).toBeHidden()
      await expect(page.getByTestId('enrollment')).toBeVisible()
      await expect(page.getByTestId('task-issue')).toBeVisible({ timeout: 40_000 })
      await expect(page.getByTestId('enrollment')).toHaveCount(0)
    } finally {
      await quit(app)
    }
  })

  test('a crashed renderer reloads Home; crashes that keep coming end the station with the crash-loop code', async () => {
    test.setTimeout(90_000)
    // --shell-restarts: exit without starting a copy (a copy would outlive the test; Shell Launcher restarts it).
    const app = await launchKiosk([SHELL_RESTARTS_SWITCH])
    const exited = new Promise<number | null>((resolve) =>
      app.process().once('exit', (code) => resolve(code)),
    )
    try {
      const page = await app.firstWindow()
      await page.getByTestId('task-issue').click()
      await expect(page.getByTestId('enrollment')).toBeVisible()

      const crash = () =>
        app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer(),
        )
      const loaded = () =>
        app.evaluate(({ BrowserWindow }) => {
          const wc = BrowserWindow.getAllWindows()[0]!.webContents
          return !wc.isCrashed() && !wc.isLoading()
        })
      await crash()
      await expect.poll(loaded, { timeout: 20_000 }).toBe(true)
      // The reload lands on Home (the renderer keeps no route in the URL).
      const again = app.windows()[0]!
      await expect(again.getByTestId('task-issue')).toBeVisible()
      await expect(again.getByTestId('enrollment')).toHaveCount(0)

      for (let i = 0; i < 3; i++) {
        await expect.poll(loaded, { timeout: 20_000 }).toBe(true)
        await crash()
      }
      expect(await exited).toBe(STATION_EXIT_CODES.crashLoop)
    } finally {
      await quit(app)
    }
  })
})
